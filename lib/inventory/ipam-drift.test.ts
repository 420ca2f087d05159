import { describe, expect, it } from "vitest";
import { computeIpamDrift, type IpamRecord } from "./ipam-drift";

const addr = (address: string, over: Partial<IpamRecord> = {}): IpamRecord => ({ address, status: "active", vmid: null, hostname: null, mac: null, ...over });
const guest = (vmid: number, ips: string[]) => ({ vmid, name: `g${vmid}`, node: "pve1", type: "qemu" as const, ips });
const binding = (ip: string, mac: string) => ({ switch: "ex1", interface: "ge-0/0/1", ip, mac, vlan: "20" });

describe("IPAM against Proxmox", () => {
  it("flags an active address given to a guest that no guest holds, but not infrastructure without a VMID", () => {
    const d = computeIpamDrift({ ipam: [addr("10.0.0.5", { vmid: 105, hostname: "web" }), addr("10.0.0.1")], guests: [], bindings: [], vmacs: [] });
    expect(d.ipam_addresses_not_on_guests).toEqual([{ ip: "10.0.0.5", vmid: 105, hostname: "web" }]);
  });

  it("flags a guest address IPAM does not know, and one it has released", () => {
    const d = computeIpamDrift({
      ipam: [addr("10.0.0.9", { status: "released" }), addr("10.0.0.2", { vmid: 7 })],
      guests: [guest(7, ["10.0.0.2", "10.0.0.8", "10.0.0.9"])],
      bindings: [],
      vmacs: [],
    });
    expect(d.guest_ips_not_in_ipam).toEqual([
      { vmid: 7, name: "g7", ip: "10.0.0.8", ipam_status: null },
      { vmid: 7, name: "g7", ip: "10.0.0.9", ipam_status: "released" },
    ]);
  });

  it("flags an address IPAM gives to one VMID that is live on another", () => {
    const d = computeIpamDrift({ ipam: [addr("10.0.0.3", { vmid: 101 })], guests: [guest(102, ["10.0.0.3"])], bindings: [], vmacs: [] });
    expect(d.ipam_vmid_mismatch).toEqual([{ ip: "10.0.0.3", ipam_vmid: 101, live_vmids: [102] }]);
    expect(d.ipam_addresses_not_on_guests).toEqual([]);
  });

  it("computes no guest kind without a live snapshot, and nothing at all with an empty IPAM", () => {
    const noLive = computeIpamDrift({ ipam: [addr("10.0.0.5", { vmid: 105 })], guests: null, bindings: [], vmacs: [] });
    expect(noLive.ipam_addresses_not_on_guests).toEqual([]);
    const noIpam = computeIpamDrift({ ipam: [], guests: [guest(1, ["10.0.0.1"])], bindings: [binding("10.0.0.1", "02:00:00:00:00:01")], vmacs: [] });
    expect(Object.values(noIpam).every((rows) => rows.length === 0)).toBe(true);
  });
});

describe("IPAM against the switches", () => {
  it("flags a binding for a released address", () => {
    const d = computeIpamDrift({
      ipam: [addr("10.0.0.4", { status: "released" })],
      guests: null,
      bindings: [binding("10.0.0.4", "02:00:00:00:00:04")],
      vmacs: [],
    });
    expect(d.bindings_on_released_addresses).toEqual([{ switch: "ex1", interface: "ge-0/0/1", ip: "10.0.0.4", mac: "02:00:00:00:00:04", vlan: "20" }]);
  });

  it("flags a binding to another MAC than IPAM's, in any notation, unless it is the address's VMAC", () => {
    const ipam = [addr("10.0.0.6", { mac: "02:00:00:00:00:06" }), addr("10.0.0.7", { mac: "0200.0000.0007" }), addr("10.0.0.8", { mac: "02:00:00:00:00:08" })];
    const bindings = [binding("10.0.0.6", "02:00:00:00:00:99"), binding("10.0.0.7", "02:00:00:00:00:07"), binding("10.0.0.8", "52:54:00:aa:bb:cc")];
    const d = computeIpamDrift({ ipam, guests: null, bindings, vmacs: [{ ip: "10.0.0.8", mac: "52:54:00:AA:BB:CC" }] });
    expect(d.binding_mac_mismatch).toEqual([
      { switch: "ex1", interface: "ge-0/0/1", ip: "10.0.0.6", bound_mac: "02:00:00:00:00:99", ipam_mac: "02:00:00:00:00:06" },
    ]);
    expect(d.vmac_ipam_mismatch).toEqual([{ ip: "10.0.0.8", vmac: "52:54:00:aa:bb:cc", ipam_mac: "02:00:00:00:00:08" }]);
  });

  it("lists a binding for an address IPAM does not know; a known one without a MAC raises nothing", () => {
    const d = computeIpamDrift({
      ipam: [addr("10.0.0.10")],
      guests: null,
      bindings: [binding("10.0.0.10", "02:00:00:00:00:10"), binding("10.9.9.9", "02:00:00:00:00:11")],
      vmacs: [],
    });
    expect(d.binding_mac_mismatch).toEqual([]);
    expect(d.bindings_on_released_addresses).toEqual([]);
    // Our pushes record what they bind in IPAM (issue 23): an address it does not know was bound by another hand.
    expect(d.bindings_not_in_ipam).toEqual([{ switch: "ex1", interface: "ge-0/0/1", ip: "10.9.9.9", mac: "02:00:00:00:00:11", vlan: "20" }]);
  });
});
