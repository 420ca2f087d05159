import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseGroupName, parseInterfaceName, parseIpAddress, parseMacAddress, parseVlanName } from "./values";

describe("parseInterfaceName", () => {
  it.each([
    ["ge-0/0/1.0", "ge-0/0/1.0"],
    ["ge-0/0/1", "ge-0/0/1.0"],
    ["xe-1/2/47.100", "xe-1/2/47.100"],
    ["et-0/0/0.0", "et-0/0/0.0"],
    ["mge-0/0/12", "mge-0/0/12.0"],
    ["ae0", "ae0.0"],
    ["ae12.0", "ae12.0"],
  ])("%s → %s", (input, out) => expect(parseInterfaceName(input)).toBe(out));

  it.each(["ge-0/0/1.0 ", "fe-0/0/1", "ge-0/0", "ge-0/0/1.0; delete system", "ae", "lo0.0", "ge-0/0/1.99999", "vlan.13"])("refuses %j naming it", (input) => {
    expect(() => parseInterfaceName(input)).toThrow(`interface ${JSON.stringify(input)}`);
  });
});

describe("parseMacAddress", () => {
  it("accepts the common notations and writes one", () => {
    for (const m of ["AA:BB:CC:DD:EE:F0", "aa-bb-cc-dd-ee-f0", "aabb.ccdd.eef0", "AABBCCDDEEF0"]) expect(parseMacAddress(m)).toBe("aa:bb:cc:dd:ee:f0");
  });
  it.each([
    ["01:00:5e:00:00:01", "multicast"],
    ["00:00:00:00:00:00", "all zeros"],
    ["aa:bb:cc:dd:ee", "not a MAC"],
    ["aa:bb:cc:dd:ee:gg", "not a MAC"],
    ["aa:bb-cc:dd:ee:ff ", "not a MAC"],
  ])("refuses %s (%s)", (input, why) => expect(() => parseMacAddress(input)).toThrow(why));
});

describe("parseIpAddress", () => {
  it("canonicalises IPv4 and IPv6", () => {
    expect(parseIpAddress("10.0.48.5")).toEqual({ ip: "10.0.48.5", family: "ipv4" });
    expect(parseIpAddress("2001:DB8:0:0:0:0:0:1")).toEqual({ ip: "2001:db8::1", family: "ipv6" });
  });
  it.each(["10.0.48", "10.0.48.256", "010.0.0.1x", "0x0a.0.0.1", "10.0.0.1/24", "::1 | save", ""])("refuses %j", (input) => {
    expect(() => parseIpAddress(input)).toThrow("is not an IPv4 or IPv6 address");
  });
});

describe("VLAN and group names", () => {
  it("accept Junos names and refuse anything else", () => {
    expect(parseVlanName("VLAN.13")).toBe("VLAN.13");
    expect(parseGroupName("sankofa_1")).toBe("sankofa_1");
    for (const bad of ["13", "VLAN 13", "v;x", "v|x", `v"x`, "a".repeat(65), ""]) expect(() => parseVlanName(bad)).toThrow("is not a VLAN name");
  });
});

// Whatever a webhook or a form sends, a validator either refuses it or returns one plain token.
describe("no input becomes more than one token", () => {
  const parsers = [parseInterfaceName, parseVlanName, parseGroupName, (s: string) => parseIpAddress(s).ip, parseMacAddress];
  const nasty = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(..."ge-0/1.:;|\n\r \"'{}#ae13vlanVLAN"), maxLength: 30 }),
  );
  it("for every validator", () => {
    fc.assert(
      fc.property(nasty, fc.nat(parsers.length - 1), (input, i) => {
        let out: string;
        try {
          out = parsers[i]!(input);
        } catch {
          return;
        }
        expect(out).toMatch(/^[A-Za-z0-9._:/-]+$/);
      }),
      { numRuns: 5_000 },
    );
  });
});
