import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeUtilizationBar, computeUtilizationBars } from "./utilization";

describe("prefix utilization bars", () => {
  it("splits a prefix into in use, reserved and free, with the counts in its label", () => {
    expect(computeUtilizationBar({ id: 1, prefix: "10.0.0.0/24", used: 12, reserved: 3, size: 254 })).toMatchObject({
      inUse: 9,
      reserved: 3,
      free: 242,
      label: "12 used (3 reserved) of 254",
      countText: "12/254",
    });
    expect(computeUtilizationBar({ id: 2, prefix: "10.0.1.0/30", used: 0, reserved: 0, size: 2 }).label).toBe("0 used of 2");
  });

  it("never goes negative or past 100% when a prefix holds more rows than hosts", () => {
    const bar = computeUtilizationBar({ id: 3, prefix: "10.0.2.0/30", used: 4, reserved: 0, size: 2 });
    expect(bar).toMatchObject({ inUse: 4, free: 0, inUsePct: 100, freePct: 0 });
  });

  it("always adds up: the parts make the used count and the prefix's size, the shares make 100%", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5000 }), (used, reserved, size) => {
        const [bar] = computeUtilizationBars([{ id: 1, prefix: "p", used, reserved: Math.min(reserved, used), size }]);
        expect(bar!.inUse + bar!.reserved).toBe(used);
        expect(bar!.inUse + bar!.reserved + bar!.free).toBe(Math.max(size, used));
        expect(bar!.inUsePct + bar!.reservedPct + bar!.freePct).toBeCloseTo(100, 6);
      }),
    );
  });
});
