import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeMac, normalizeMacPrefix } from "./mac";

describe("normalizeMac", () => {
  it.each(["aa:bb:cc:dd:ee:0f", "AA-BB-CC-DD-EE-0F", "aabb.ccdd.ee0f", "AABBCCDDEE0F", " Aa:bB:cc:DD:ee:0f "])("reads %s", (form) => {
    expect(normalizeMac(form)).toBe("aa:bb:cc:dd:ee:0f");
  });

  it.each(["aa:bb:cc:dd:ee", "aa:bb-cc:dd:ee:ff", "aabb.ccdd", "aabbccddeeff00", "gg:bb:cc:dd:ee:ff", "10.0.48.7", ""])("refuses %s", (text) => {
    expect(normalizeMac(text)).toBeNull();
  });

  it("reads every notation of any MAC to the same text", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.boolean(), (bytes, isUpper) => {
        const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0"));
        const canonical = hex.join(":");
        const cased = (s: string) => (isUpper ? s.toUpperCase() : s);
        const forms = [hex.join(":"), hex.join("-"), `${hex[0]}${hex[1]}.${hex[2]}${hex[3]}.${hex[4]}${hex[5]}`, hex.join("")].map(cased);
        return forms.every((f) => normalizeMac(f) === canonical && normalizeMacPrefix(f) === canonical);
      }),
    );
  });
});

describe("normalizeMacPrefix", () => {
  it.each([
    ["AA:BB:C", "aa:bb:c"],
    ["aa-bb-cc", "aa:bb:cc"],
    ["aa:bb:", "aa:bb"],
    ["aabb.cc", "aa:bb:cc"],
    ["aabb.ccdd", "aa:bb:cc:dd"],
    ["02000a", "02:00:0a"],
  ])("reads %s as %s", (text, prefix) => {
    expect(normalizeMacPrefix(text)).toBe(prefix);
  });

  it.each(["cafe", "4021", "100100", "sw1", "10.0.48", "aa:bb-cc", "a"])("does not read %s as a MAC", (text) => {
    expect(normalizeMacPrefix(text)).toBeNull();
  });

  it("a prefix of a MAC's notation is a prefix of its canonical text", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.integer({ min: 5, max: 17 }), (bytes, cut) => {
        const canonical = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(":");
        const prefix = normalizeMacPrefix(canonical.slice(0, cut));
        return prefix !== null && canonical.startsWith(prefix);
      }),
    );
  });
});
