import { describe, expect, it } from "vitest";
import { computeDedicatedBindings, computeUplinkBindings, findUnmetRequirement } from "./rules";

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
    const r = computeDedicatedBindings(
      dedicated,
      new Map([
        ["10.0.48.6", "02:00:0a:00:30:06"],
        ["10.0.99.8", "02:00:0a:00:63:08"],
      ]),
      [],
    );
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
  const nic = (mac: string, vlanId: number | undefined, configIps: string[], agentIps: string[] = []) => ({ mac, vlanId, configIps, agentIps });
  const vm = (
    vmid: number,
    name: string,
    nics: ReturnType<typeof nic>[],
    owner: { serverId: number; ips: string[] } | null = null,
    ipamIps: string[] = [],
  ) => ({ vmid, name, nics, owner, ipamIps });
  const show = (r: { bindings: Array<{ ip: string; mac: string; vlan: string }> }) => r.bindings.map((b) => `${b.ip} ${b.mac} ${b.vlan}`);

  it("a VM Tenantos knows gets exactly its Tenantos IPs, on its NIC and tag (untagged = the native VLAN)", () => {
    const r = computeUplinkBindings(
      [vm(100, "a", [nic("BC:24:11:00:01:00", undefined, ["10.0.11.100", "10.0.11.199"])], { serverId: 300, ips: ["10.0.11.100", "10.0.11.101"] })],
      [],
      11,
    );
    // 10.0.11.101 is newly assigned and not configured yet: a one-NIC VM carries it on that NIC.
    expect(show(r)).toEqual(["10.0.11.100 bc:24:11:00:01:00 VLAN.11", "10.0.11.101 bc:24:11:00:01:00 VLAN.11"]);
    expect(r.skipped).toEqual([{ subject: "100 (a) 10.0.11.199", reason: "on the guest, but Tenantos does not assign it to server 300" }]);
  });

  it("a VM Tenantos does not know gets its config IPs, flagged; an agent-only address only with IPAM's word", () => {
    const r = computeUplinkBindings(
      [
        vm(101, "b", [nic("bc:24:11:00:01:01", 13, ["10.0.48.101"], ["10.0.48.101", "10.0.48.1"])]),
        vm(102, "c", [nic("bc:24:11:00:01:02", 13, [], ["10.0.48.102"])], null, ["10.0.48.102"]),
      ],
      [],
      11,
    );
    expect(show(r)).toEqual(["10.0.48.101 bc:24:11:00:01:01 VLAN.13", "10.0.48.102 bc:24:11:00:01:02 VLAN.13"]);
    expect(r.flags).toEqual([{ subject: "101 (b) 10.0.48.101", reason: "not known to Tenantos: bound from its Proxmox config" }]);
    // The gateway address the guest's agent claims is never bound.
    expect(r.skipped).toEqual([{ subject: "101 (b) 10.0.48.1", reason: "reported only by the guest's agent: neither Tenantos nor IPAM gives it to this VM" }]);
  });

  it("skips an IP two VMs claim, on both, naming both", () => {
    const r = computeUplinkBindings(
      [vm(100, "a", [nic("bc:24:11:00:01:00", 13, ["10.0.48.100"])]), vm(102, "c", [nic("bc:24:11:00:01:02", 13, ["10.0.48.100"])])],
      [],
      11,
    );
    expect(r.bindings).toEqual([]);
    expect(r.skipped.map((s) => `${s.subject}: ${s.reason}`)).toEqual([
      "100 (a) 10.0.48.100: IP 10.0.48.100 is claimed by 100 (a) and 102 (c)",
      "102 (c) 10.0.48.100: IP 10.0.48.100 is claimed by 100 (a) and 102 (c)",
    ]);
  });

  it("names the VLAN as the switch does, and skips a VLAN the switch does not define", () => {
    const names = new Map([[13, "v13-customers"]]);
    const r = computeUplinkBindings(
      [vm(100, "a", [nic("bc:24:11:00:01:00", 13, ["10.0.48.100"])]), vm(103, "d", [nic("bc:24:11:00:01:03", 20, ["10.0.20.103"])])],
      [],
      11,
      (id) => names.get(id),
    );
    expect(show(r)).toEqual(["10.0.48.100 bc:24:11:00:01:00 v13-customers"]);
    expect(r.skipped).toEqual([{ subject: "103 (d) 10.0.20.103", reason: expect.stringContaining("VLAN 20 is not defined on the switch") }]);
  });

  it("lists a NIC with no address as skipped instead of dropping it", () => {
    const r = computeUplinkBindings([vm(9, "dhcp", [nic("bc:24:11:00:09:00", undefined, [])])], [], 11);
    expect(r).toEqual({
      bindings: [],
      flags: [],
      skipped: [{ subject: "9 (dhcp) bc:24:11:00:09:00", reason: "no IP address in the guest config or from its agent" }],
    });
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
