import { describe, expect, it } from "vitest";
import { findVmacDisagreements } from "./vmac-check";

describe("VMAC disagreements", () => {
  const vmacs = [{ ip: "10.13.0.22", mac: "02:00:0a:0d:00:16", serverId: 201 }];
  it("flags a guest NIC or a switch binding that puts the IP on another MAC, and nothing that agrees", () => {
    const found = findVmacDisagreements({
      vmacs,
      guestNics: [
        { vmid: 300, name: "cust-vm", node: "pve-01", mac: "BC:24:11:00:03:00", ips: ["10.13.0.22"] },
        { vmid: 301, name: "ok-vm", node: "pve-01", mac: "02:00:0A:0D:00:16", ips: ["10.13.0.22"] },
        { vmid: 302, name: "other", node: "pve-02", mac: "bc:24:11:00:03:02", ips: ["10.13.0.99"] },
      ],
      switchBindings: [
        { switchName: "ex4200", interface: "ge-0/0/5.0", ip: "10.13.0.22", mac: "aa:bb:cc:02:01:00" },
        { switchName: "ex4200", interface: "ge-0/0/5.0", ip: "10.13.0.21", mac: "aa:bb:cc:02:01:00" },
      ],
    });
    expect(found).toEqual([
      { ip: "10.13.0.22", vmac: "02:00:0a:0d:00:16", serverId: 201, source: "proxmox", where: "pve-01 VM 300 (cust-vm)", mac: "bc:24:11:00:03:00" },
      { ip: "10.13.0.22", vmac: "02:00:0a:0d:00:16", serverId: 201, source: "switch", where: "ex4200 ge-0/0/5.0", mac: "aa:bb:cc:02:01:00" },
    ]);
  });
});
