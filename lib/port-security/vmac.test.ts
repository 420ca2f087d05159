import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveVmacFromIpv4, ipv4FromVmac, isUsableVmac, parseVmacPrefix } from "./vmac";

describe("VMACs", () => {
  it("derives 02:00 + the four octets, and back", () => {
    expect(deriveVmacFromIpv4("02:00", "10.0.48.6")).toBe("02:00:0a:00:30:06");
    expect(ipv4FromVmac("02:00", "02:00:0A:00:30:06")).toBe("10.0.48.6");
    expect(ipv4FromVmac("02:00", "06:00:0a:00:30:06")).toBeUndefined();
  });

  it("is unique, reversible and always a usable locally administered unicast MAC", () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), (a, b) => {
        const ipA = a.join(".");
        const ipB = b.join(".");
        const macA = deriveVmacFromIpv4("02:00", ipA);
        expect(isUsableVmac(macA)).toBe(true);
        expect(ipv4FromVmac("02:00", macA)).toBe(ipA);
        if (ipA !== ipB) expect(deriveVmacFromIpv4("02:00", ipB)).not.toBe(macA);
      }),
    );
  });

  it("refuses prefixes that are global or multicast, and never uses Proxmox's range", () => {
    expect(parseVmacPrefix("0A-10")).toBe("0a:10");
    expect(() => parseVmacPrefix("00:50")).toThrow("locally administered");
    expect(() => parseVmacPrefix("03:00")).toThrow("locally administered and unicast");
    expect(() => parseVmacPrefix("02")).toThrow("two octets");
    expect(isUsableVmac("bc:24:11:00:00:01")).toBe(false);
    expect(isUsableVmac("00:11:22:33:44:55")).toBe(false);
  });
});
