import { describe, expect, it } from "vitest";
import { computeDedicatedPlan, computeUplinkPlan, resolveGuestOwners, type ClusterGuest, type UplinkWorld, type VmLink } from "./plan";
import { defaultVlanName } from "./rules";

const dedicated = {
  serverId: 7,
  pxeMac: "AA:BB:CC:00:00:07",
  primary: { ip: "10.0.48.5", vlan: { vlanId: 13 } },
  additional: [
    { ip: "10.0.48.6", vlan: { vlanId: 13 } },
    { ip: "10.0.48.7", vlan: { vlanId: 13 } },
    { ip: "10.0.99.8", vlan: { vlanId: 99 } },
  ],
  vmacs: new Map([
    ["10.0.48.6", "02:00:0a:00:30:06"],
    ["10.0.99.8", "02:00:0a:00:63:08"],
  ]),
};

describe("dedicated server plan", () => {
  it("binds the primary IP to the PXE MAC and additional IPs to their VMACs, each with its source", () => {
    const r = computeDedicatedPlan(dedicated, [], defaultVlanName);
    expect(r.bindings.map((b) => [b.ip, b.mac, b.vlan, b.source])).toEqual([
      ["10.0.48.5", "aa:bb:cc:00:00:07", "VLAN.13", { kind: "tenantos", serverId: 7 }],
      ["10.0.48.6", "02:00:0a:00:30:06", "VLAN.13", { kind: "vmac", serverId: 7, ip: "10.0.48.6" }],
      ["10.0.99.8", "02:00:0a:00:63:08", "VLAN.99", { kind: "vmac", serverId: 7, ip: "10.0.99.8" }],
    ]);
    expect(r.leftOut).toEqual([{ subject: "10.0.48.7", ip: "10.0.48.7", rule: "no-mac", reason: "additional IP without an active VMAC" }]);
  });

  it("leaves out IPs on VLANs outside the allowlist, and an address a guest claims too, naming both", () => {
    const r = computeDedicatedPlan({ ...dedicated, otherClaims: new Map([["10.0.48.6", ["VM 9 (x) on pve-a net0"]]]) }, [13], defaultVlanName);
    expect(r.leftOut).toContainEqual({ subject: "10.0.99.8", ip: "10.0.99.8", rule: "allowlist", reason: "VLAN 99 is not in the allowlist" });
    expect(r.leftOut).toContainEqual(expect.objectContaining({ ip: "10.0.48.6", rule: "duplicate", claimants: ["server 7", "VM 9 (x) on pve-a net0"] }));
    expect(r.bindings.map((b) => b.ip)).toEqual(["10.0.48.5"]);
  });
});

const nic = (mac: string, vlanId: number | undefined, configIps: string[], agentIps: string[] = [], name = "net0") => ({
  name,
  mac,
  vlanId,
  configIps,
  agentIps,
});
const guest = (vmid: number, name: string, node: string, nics: ReturnType<typeof nic>[]): ClusterGuest => ({ vmid, name, node, nics });
const show = (r: { bindings: Array<{ ip: string; mac: string; vlan: string }> }) => r.bindings.map((b) => `${b.ip} ${b.mac} ${b.vlan}`);

function world(guests: ClusterGuest[], opts: Partial<UplinkWorld> & { holders?: Map<string, number | null>; links?: Map<number, VmLink> } = {}): UplinkWorld {
  const links = opts.links ?? new Map();
  const holders = opts.holders ?? new Map();
  const nodeServerIds = new Set([1]);
  const { owners } = resolveGuestOwners({ guests, links, holders, nodeServerIds });
  return {
    node: "pve-a",
    nodeServer: { id: 1, ips: [] },
    guests,
    links,
    holders,
    nodeServerIds,
    owners,
    assignments: new Map(),
    ipam: new Map(),
    untaggedVlanId: 11,
    ...opts,
  };
}

describe("Proxmox node uplink plan", () => {
  it("a VM Tenantos knows gets exactly its Tenantos IPs, on its NIC and tag (untagged = the native VLAN)", () => {
    const g = guest(100, "a", "pve-a", [nic("BC:24:11:00:01:00", undefined, ["10.0.11.100", "10.0.11.199"])]);
    const r = computeUplinkPlan(
      world([g], { holders: new Map([["10.0.11.100", 300]]), assignments: new Map([[300, ["10.0.11.100", "10.0.11.101"]]]) }),
      [],
      defaultVlanName,
    );
    // 10.0.11.101 is newly assigned and not configured yet: a one-NIC VM carries it on that NIC.
    expect(show(r)).toEqual(["10.0.11.100 bc:24:11:00:01:00 VLAN.11", "10.0.11.101 bc:24:11:00:01:00 VLAN.11"]);
    expect(r.bindings[0]!.source).toEqual({ kind: "proxmox", vmid: 100, node: "pve-a", nic: "net0", serverId: 300 });
    expect(r.leftOut).toEqual([
      { subject: "100 (a) 10.0.11.199", ip: "10.0.11.199", rule: "not-assigned", reason: "on the guest, but Tenantos does not assign it to server 300" },
    ]);
  });

  it("a VM Tenantos does not know gets its config IPs, flagged; an agent-only address only with IPAM's word", () => {
    const r = computeUplinkPlan(
      world(
        [
          guest(101, "b", "pve-a", [nic("bc:24:11:00:01:01", 13, ["10.0.48.101"], ["10.0.48.101", "10.0.48.1"])]),
          guest(102, "c", "pve-a", [nic("bc:24:11:00:01:02", 13, [], ["10.0.48.102"])]),
        ],
        { ipam: new Map([[102, ["10.0.48.102"]]]) },
      ),
      [],
      defaultVlanName,
    );
    expect(show(r)).toEqual(["10.0.48.101 bc:24:11:00:01:01 VLAN.13", "10.0.48.102 bc:24:11:00:01:02 VLAN.13"]);
    expect(r.flags.map((f) => [f.kind, f.ip])).toEqual([
      ["unknown-to-tenantos", "10.0.48.101"],
      ["agent-only", "10.0.48.102"],
    ]);
    // The gateway address the guest's agent claims is never bound.
    expect(r.leftOut).toEqual([expect.objectContaining({ ip: "10.0.48.1", rule: "agent-only" })]);
  });

  it("an address configured on guests of two nodes is bound to nobody, naming both (a clone on another node)", () => {
    const guests = [
      guest(102, "web", "pve-a", [nic("bc:24:11:00:01:02", 13, ["10.0.48.212"])]),
      guest(9001, "web-clone", "pve-b", [nic("bc:24:11:00:90:01", 13, ["10.0.48.212"])]),
    ];
    const r = computeUplinkPlan(world(guests, { holders: new Map([["10.0.48.212", 300]]) }), [], defaultVlanName);
    expect(r.bindings).toEqual([]);
    expect(r.leftOut).toEqual([
      expect.objectContaining({
        ip: "10.0.48.212",
        rule: "duplicate",
        claimants: ["VM 102 (web) on pve-a net0", "VM 9001 (web-clone) on pve-b net0", "Tenantos server 300"],
      }),
    ]);
    expect(r.flags.map((f) => f.kind)).toEqual(["claimed-twice"]);
  });

  it("a linked VM keeps its identity: its removed address is left out, its other address stays", () => {
    const g = guest(2101, "vm1", "pve-a", [nic("bc:24:11:00:21:01", 13, ["10.0.48.51"])]);
    const links = new Map([[2101, { vmid: 2101, serverId: 301, mac: "bc:24:11:00:21:01" }]]);
    const r = computeUplinkPlan(
      world([g], { links, holders: new Map([["10.0.48.51", null]]), assignments: new Map([[301, ["10.0.48.52"]]]) }),
      [],
      defaultVlanName,
    );
    expect(show(r)).toEqual(["10.0.48.52 bc:24:11:00:21:01 VLAN.13"]);
    expect(r.leftOut).toEqual([expect.objectContaining({ ip: "10.0.48.51", rule: "not-assigned" })]);
  });

  it("learns a link only from an address no other guest claims", () => {
    const a = guest(102, "web", "pve-a", [nic("bc:24:11:00:01:02", 13, ["10.0.48.212"])]);
    const b = guest(103, "db", "pve-a", [nic("bc:24:11:00:01:03", 13, ["10.0.48.213"])]);
    const clone = guest(9001, "web-clone", "pve-b", [nic("bc:24:11:00:90:01", 13, ["10.0.48.212"])]);
    const holders = new Map<string, number | null>([
      ["10.0.48.212", 300],
      ["10.0.48.213", 301],
    ]);
    const { owners, learned } = resolveGuestOwners({ guests: [a, b, clone], links: new Map(), holders, nodeServerIds: new Set() });
    expect(learned).toEqual([{ vmid: 103, serverId: 301, mac: "bc:24:11:00:01:03" }]);
    expect(owners.get(102)).toBeNull();
    expect(owners.get(9001)).toBeNull();
  });

  it("the node's own address is left out, saying so", () => {
    const r = computeUplinkPlan(world([], { nodeServer: { id: 1, ips: ["10.0.11.10"] } }), [], defaultVlanName);
    expect(r.leftOut).toEqual([expect.objectContaining({ ip: "10.0.11.10", rule: "node-address" })]);
  });

  it("names the VLAN as the switch does, and leaves out a VLAN the switch does not define", () => {
    const names = new Map([[13, "v13-customers"]]);
    const r = computeUplinkPlan(
      world([
        guest(100, "a", "pve-a", [nic("bc:24:11:00:01:00", 13, ["10.0.48.100"])]),
        guest(103, "d", "pve-a", [nic("bc:24:11:00:01:03", 20, ["10.0.20.103"])]),
      ]),
      [],
      (id) => names.get(id),
    );
    expect(show(r)).toEqual(["10.0.48.100 bc:24:11:00:01:00 v13-customers"]);
    expect(r.leftOut).toEqual([
      expect.objectContaining({ ip: "10.0.20.103", rule: "vlan", reason: expect.stringContaining("VLAN 20 is not defined on the switch") }),
    ]);
  });

  it("lists a NIC with no address as left out instead of dropping it", () => {
    const r = computeUplinkPlan(world([guest(9, "dhcp", "pve-a", [nic("bc:24:11:00:09:00", undefined, [])])]), [], defaultVlanName);
    expect(r).toEqual({
      bindings: [],
      flags: [],
      leftOut: [{ subject: "9 (dhcp) bc:24:11:00:09:00", rule: "no-ip", reason: "no IP address in the guest config or from its agent" }],
    });
  });
});
