import { describe, expect, it } from "vitest";
import { computeDedicatedBindings, computeVmNodeBindings, findUnmetRequirement } from "./rules";

const dedicated = {
  serverId: 7,
  pxeMac: "AA:BB:CC:00:00:07",
  primary: { ip: "10.0.48.5", vlanId: 13 },
  additional: [
    { ip: "10.0.48.6", vlanId: 13 },
    { ip: "10.0.48.7", vlanId: 13 },
    { ip: "10.0.99.8", vlanId: 99 },
  ],
};

describe("dedicated server", () => {
  it("binds the primary IP to the PXE MAC and additional IPs to their VMACs", () => {
    const r = computeDedicatedBindings(dedicated, new Map([["10.0.48.6", "02:00:0a:00:30:06"], ["10.0.99.8", "02:00:0a:00:63:08"]]), []);
    expect(r.bindings.map((b) => [b.ip, b.mac, b.vlan])).toEqual([
      ["10.0.48.5", "aa:bb:cc:00:00:07", "VLAN.13"],
      ["10.0.48.6", "02:00:0a:00:30:06", "VLAN.13"],
      ["10.0.99.8", "02:00:0a:00:63:08", "VLAN.99"],
    ]);
    expect(r.skipped).toEqual([{ subject: "10.0.48.7", reason: "additional IP without an active VMAC" }]);
  });

  it("skips IPs on VLANs outside the allowlist, saying why", () => {
    const r = computeDedicatedBindings(dedicated, new Map([["10.0.99.8", "02:00:0a:00:63:08"]]), [13]);
    expect(r.skipped).toContainEqual({ subject: "10.0.99.8", reason: "VLAN 99 is not in the allowlist" });
    expect(r.bindings.map((b) => b.ip)).toEqual(["10.0.48.5"]);
  });
});

describe("Proxmox node uplink", () => {
  const vms = [
    { vmid: 100, name: "a", nics: [{ mac: "BC:24:11:00:01:00", vlanId: 13, ips: ["10.0.48.100"] }] },
    { vmid: 101, name: "b", nics: [{ mac: "bc:24:11:00:01:01", vlanId: undefined, ips: ["10.0.11.101", "10.0.11.102"] }] },
    { vmid: 102, name: "c", nics: [{ mac: "bc:24:11:00:01:02", vlanId: 13, ips: ["10.0.48.100"] }] },
  ];
  it("binds every VM NIC's IPs on its tag (untagged = the node's native VLAN)", () => {
    const r = computeVmNodeBindings(vms.slice(0, 2), [], 11);
    expect(r.bindings.map((b) => `${b.ip} ${b.mac} ${b.vlan}`)).toEqual([
      "10.0.48.100 bc:24:11:00:01:00 VLAN.13",
      "10.0.11.101 bc:24:11:00:01:01 VLAN.11",
      "10.0.11.102 bc:24:11:00:01:01 VLAN.11",
    ]);
  });
  it("skips an IP two NICs claim, on both", () => {
    const r = computeVmNodeBindings(vms, [], 11);
    expect(r.bindings.map((b) => b.ip)).not.toContain("10.0.48.100");
    expect(r.skipped.map((s) => s.subject)).toEqual(["100 (a) 10.0.48.100", "102 (c) 10.0.48.100"]);
  });
  it("lists a NIC with no address as skipped instead of dropping it", () => {
    const r = computeVmNodeBindings([{ vmid: 9, name: "dhcp", nics: [{ mac: "bc:24:11:00:09:00", vlanId: undefined, ips: [] }] }], [], 11);
    expect(r).toEqual({ bindings: [], skipped: [{ subject: "9 (dhcp) bc:24:11:00:09:00", reason: "no IP address in the guest config or from its agent" }] });
  });
});

describe("automation requirements", () => {
  const all = { hasSwitchConnection: true, isSwitchAutomationOn: true, hasSwitchCredentials: true, hasEventToken: true };
  it("names the first unmet one", () => {
    expect(findUnmetRequirement(all)).toBeNull();
    expect(findUnmetRequirement({ ...all, isSwitchAutomationOn: false })).toBe("switchAutomation is off for the server's switch connection");
    expect(findUnmetRequirement({ ...all, hasSwitchConnection: false })).toContain("no snmp_switch connection");
    expect(findUnmetRequirement({ ...all, hasSwitchCredentials: false })).toContain("no credentials");
    expect(findUnmetRequirement({ ...all, hasEventToken: false })).toContain("PORT_SECURITY_EVENT_API_BEARER_TOKEN");
  });
});
