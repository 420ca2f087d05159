import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatVmidRanges, parseJobKinds, parseTicketId, parseTicketPattern, parseVmidRanges } from "./policy";
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
