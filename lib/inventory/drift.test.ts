import { describe, expect, it } from "vitest";
import { computeInventoryDrift, type LiveGuest } from "./drift";

const guest = (vmid: number, ips: string[], node = "r630-01"): LiveGuest => ({ vmid, name: `vm-${vmid}`, node, type: "qemu", ips });

describe("computeInventoryDrift", () => {
  const drift = computeInventoryDrift({
    guests: [guest(100, ["10.0.0.1"]), guest(101, ["10.0.0.2"]), guest(102, ["10.0.0.2", "10.0.0.9"]), guest(103, [])],
    conf: [
      { key: "VM_100", ip: "10.0.0.1", line: 1 },
      { key: "VM_101", ip: "10.0.0.2", line: 2 },
      { key: "RETIRED", ip: "10.0.0.77", line: 3 },
      { key: "PROXMOX_HOST_R630_01", ip: "10.0.0.250", line: 4 },
      { key: "NETWORK_GATEWAY", ip: "10.0.0.254", line: 5 },
      { key: "UDM_PRO_WAN", ip: "10.0.0.253", line: 6 },
      { key: "WAN_AGGREGATOR_1", ip: "10.0.0.252", line: 7 },
    ],
    doc: [
      { vmid: 100, name: "vm-100", ips: ["10.0.0.1"], line: 1 },
      { vmid: 101, name: "vm-101", ips: ["10.0.0.3"], line: 2 },
      { vmid: 900, name: "gone", ips: [], line: 3 },
    ],
  });

  it("names guest IPs the conf does not declare", () => {
    expect(drift.guest_ips_not_in_ip_addresses_conf).toEqual([{ vmid: 102, name: "vm-102", ip: "10.0.0.9" }]);
  });
  it("names conf IPs no guest holds, ignoring hosts, gateway, UDM and WAN entries", () => {
    expect(drift.ip_addresses_conf_ips_not_on_guests).toEqual([{ key: "RETIRED", ip: "10.0.0.77" }]);
  });
  it("names VMID/IP mismatches and guests only in the doc or only on the cluster", () => {
    expect(drift.vmid_ip_mismatch).toEqual([{ vmid: 101, name: "vm-101", documented: ["10.0.0.3"], live: ["10.0.0.2"] }]);
    expect(drift.guests_only_in_doc).toEqual([{ vmid: 900, name: "gone" }]);
    expect(drift.guests_only_on_cluster.map((g) => g.vmid)).toEqual([102, 103]);
  });
  it("names duplicate guest IPs", () => {
    expect(drift.duplicate_guest_ips).toEqual([{ ip: "10.0.0.2", vmids: [101, 102] }]);
  });
});
