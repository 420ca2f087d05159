import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIpAddress, parseIpAddress } from "./ip";

const parses = (s: string) => {
  try {
    parseIpAddress(s);
    return true;
  } catch {
    return false;
  }
};

describe("isIpAddress", () => {
  it("says yes exactly when parseIpAddress takes the text (its fast path for dotted quads agrees)", () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom("00", "01", "007", "-1", "", "1e2", " 1"));
    const quad = fc.tuple(part, part, part, part).map((p) => p.join("."));
    const v6 = fc.ipV6();
    fc.assert(
      fc.property(fc.oneof(quad, v6, fc.ipV4(), fc.string()), (s) => isIpAddress(s) === parses(s)),
      { numRuns: 2_000 },
    );
  });

  it("takes the forms a guest agent reports, and refuses the rest", () => {
    expect(["10.0.0.5", "255.255.255.255", "0.0.0.0", "fe80::1", "2001:db8::1"].map(isIpAddress)).toEqual([true, true, true, true, true]);
    expect(["10.0.0.256", "10.0.0", "010.0.0.1", "10.0.0.5/24", "not-an-ip", "", "::g"].map(isIpAddress)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
