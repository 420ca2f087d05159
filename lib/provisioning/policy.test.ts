import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  findVmidInRanges,
  formatVlanList,
  formatVmidRanges,
  MAX_TICKET_ID_LENGTH,
  parseBridgeList,
  parseJobKinds,
  parsePrefixList,
  parseTicketId,
  parseTicketPattern,
  parseVlanList,
  parseVmidRanges,
} from "./policy";
import { findTaskOutcome, parseUpid } from "./task";
import { setNetKeys } from "./guest-config";

describe("provisioning policy", () => {
  it("a real run needs a ticket matching the configured format", () => {
    expect(parseTicketId(" OPS-42 ", "^[A-Z]+-\\d+$")).toBe("OPS-42");
    expect(() => parseTicketId("", "^[A-Z]+-\\d+$")).toThrow(/needs a ticket id/);
    expect(() => parseTicketId("ops 42", "^[A-Z]+-\\d+$")).toThrow(/does not match the ticket format/);
  });

  it("a ticket format must be anchored and compile", () => {
    expect(() => parseTicketPattern("[A-Z]+")).toThrow(/must start with \^/);
    expect(() => parseTicketPattern("^([A-Z$")).toThrow(/not a regular expression/);
    expect(parseTicketPattern("^INC\\d{6}$")).toBe("^INC\\d{6}$");
  });

  it("a pattern that backtracks catastrophically elsewhere runs in linear time on ticket ids up to the cap, and longer ids are refused unread", () => {
    // `^(a+)+$` against "aaa…ab" takes exponential time in a backtracking engine (OWASP ReDoS);
    // on the linear engine it answers. Inputs are capped at MAX_TICKET_ID_LENGTH, so the test is bounded too.
    for (const pattern of ["^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "^([A-Z]+)*-\\d+$"]) {
      expect(parseTicketPattern(pattern)).toBe(pattern);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: MAX_TICKET_ID_LENGTH - 1 }), (n) => {
          expect(() => parseTicketId(`${"a".repeat(n)}!`, pattern)).toThrow(/does not match/);
        }),
        { seed: 2424, numRuns: 30 },
      );
    }
    expect(() => parseTicketId("A".repeat(MAX_TICKET_ID_LENGTH) + "-1", "^[A-Z]+-\\d+$")).toThrow(/does not match/);
  });

  it("a ticket format that needs backtracking (backreference, lookahead) is refused", () => {
    expect(() => parseTicketPattern("^(a)\\1$")).toThrow(/linear engine/);
    expect(() => parseTicketPattern("^(?=A)[A-Z]+$")).toThrow(/linear engine/);
    // One saved before the engine changed is refused with a reason, not an internal error.
    expect(() => parseTicketId("A-1", "^(?=A)[A-Z]+-\\d+$")).toThrow(/an admin must set it again/);
  });

  it("bridge, VLAN and prefix allowlists parse, name a bad token, and VLANs read back as written", () => {
    expect(parseBridgeList("vmbr0, vmbr1,vmbr0")).toEqual(["vmbr0", "vmbr1"]);
    expect(() => parseBridgeList("vmbr0; rm")).toThrow(/"vmbr0; rm"/);
    expect(parseVlanList("untagged, 20, 30-32")).toEqual([0, 20, 30, 31, 32]);
    expect(() => parseVlanList("4095")).toThrow(/"4095"/);
    expect(parseVlanList(formatVlanList([0, 20, 4094]))).toEqual([0, 20, 4094]);
    expect(parsePrefixList("10.0.20.0/24, 2001:DB8::/64")).toEqual(["10.0.20.0/24", "2001:db8::/64"]);
    expect(() => parsePrefixList("10.0.20.1/24")).toThrow(/host bits/);
  });

  it("a VMID outside the allowed ranges is replaced by the next free one inside them", () => {
    const ranges = [
      { from: 300, to: 302 },
      { from: 150, to: 151 },
    ];
    expect(findVmidInRanges(ranges, 100, new Set([100]))).toBe(150);
    expect(findVmidInRanges(ranges, 151, new Set())).toBe(151);
    expect(findVmidInRanges(ranges, 100, new Set([150, 151, 300]))).toBe(301);
    expect(findVmidInRanges(ranges, 100, new Set([150, 151, 300, 301, 302]))).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 400 }), fc.uniqueArray(fc.integer({ min: 100, max: 400 })), (suggested, taken) => {
        const v = findVmidInRanges(ranges, suggested, new Set(taken));
        if (v !== null) expect(ranges.some((r) => v >= r.from && v <= r.to) && !taken.includes(v)).toBe(true);
      }),
      { seed: 77 },
    );
  });

  it("VMID ranges read back as written", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 100, max: 99_999 }), fc.integer({ min: 0, max: 500 }))), (pairs) => {
        const ranges = pairs.map(([from, len]) => ({ from, to: from + len }));
        expect(parseVmidRanges(formatVmidRanges(ranges), "f")).toEqual(ranges);
      }),
      { seed: 1414 },
    );
    expect(() => parseVmidRanges("200-100", "f")).toThrow(/"200-100"/);
  });

  it("job types outside the known kinds are refused by name", () => {
    expect(parseJobKinds("power_start, create_ct", "f")).toEqual(["power_start", "create_ct"]);
    expect(() => parseJobKinds("power_start, destroy", "f")).toThrow(/"destroy"/);
  });
});

describe("Proxmox tasks", () => {
  it("reads a UPID and the task outcome Proxmox reports", () => {
    expect(parseUpid("UPID:pve1:0000A1B2:00C0FFEE:6745F1A0:vzcreate:121:sankofa@pve!prov:")).toMatchObject({ node: "pve1", type: "vzcreate", id: "121" });
    expect(parseUpid("not-a-upid")).toBeNull();
    expect(findTaskOutcome({ status: "running" })).toEqual({ state: "running" });
    expect(findTaskOutcome({ status: "stopped", exitstatus: "WARNINGS: 2" })).toEqual({ state: "ok", warnings: 2 });
    expect(findTaskOutcome({ status: "stopped", exitstatus: "unable to create CT 121 - no space left" })).toEqual({
      state: "failed",
      message: "unable to create CT 121 - no space left",
    });
  });

  it("changing net0 keys keeps every other key", () => {
    expect(setNetKeys("name=eth0,bridge=vmbr0,hwaddr=AA,ip=dhcp,tag=11", { ip: "10.0.0.2/24", tag: null, gw: "10.0.0.1" })).toBe(
      "name=eth0,bridge=vmbr0,hwaddr=AA,ip=10.0.0.2/24,gw=10.0.0.1",
    );
  });
});
