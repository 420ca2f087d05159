import { describe, expect, it } from "vitest";
import { assertSeatCountFits, assertSeatFree, isExpiringSoon, isOverUsed } from "./seats";

describe("seat limits", () => {
  const licence = { id: 7, seatCount: 2, status: "active" };

  it("gives seats while some are free and refuses the one past the count, naming the licence", () => {
    expect(() => assertSeatFree(licence, 1)).not.toThrow();
    expect(() => assertSeatFree(licence, 2)).toThrow("licence 7 has 2 seat(s), all assigned");
    expect(() => assertSeatFree({ ...licence, status: "revoked" }, 0)).toThrow("licence 7 is revoked");
  });

  it("refuses lowering the seat count below the seats given out", () => {
    expect(() => assertSeatCountFits(licence, 3, 3)).not.toThrow();
    expect(() => assertSeatCountFits(licence, 1, 3)).toThrow("revoke 2 before lowering to 1");
    expect(() => assertSeatCountFits(licence, -1, 0)).toThrow("whole number");
  });

  it("flags over-used licences and ones expiring within 30 days", () => {
    expect(isOverUsed(2, 3)).toBe(true);
    expect(isOverUsed(2, 2)).toBe(false);
    const now = new Date("2026-11-30T00:00:00Z");
    expect(isExpiringSoon(new Date("2026-12-29T00:00:00Z"), now)).toBe(true);
    expect(isExpiringSoon(new Date("2027-01-02T00:00:00Z"), now)).toBe(false);
    expect(isExpiringSoon(new Date("2026-11-29T00:00:00Z"), now)).toBe(false);
    expect(isExpiringSoon(null, now)).toBe(false);
  });
});
