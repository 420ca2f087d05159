import { describe, expect, it } from "vitest";
import { buildLiveNodeIfaces, buildLiveNodeStorage, buildLiveStorageVolumes } from "./node-facts";

describe("node facts from Proxmox answers", () => {
  it("keeps a storage's shared flag, free space, content types and activity", () => {
    expect(
      buildLiveNodeStorage([
        { storage: "nfs", type: "nfs", total: 100, used: 40, avail: 55, shared: 1, content: "backup,iso", active: 1 },
        { storage: "local-lvm", type: "lvmthin", total: 50, used: 10, shared: 0, content: "rootdir,images" },
      ]),
    ).toEqual([
      {
        storage: "local-lvm",
        type: "lvmthin",
        total_bytes: 50,
        used_bytes: 10,
        avail_bytes: 40,
        is_shared: false,
        content: ["images", "rootdir"],
        is_active: false,
      },
      { storage: "nfs", type: "nfs", total_bytes: 100, used_bytes: 40, avail_bytes: 55, is_shared: true, content: ["backup", "iso"], is_active: true },
    ]);
  });

  it("splits bond members and bridge ports, and leaves speed unknown: the network API has none", () => {
    const ifaces = buildLiveNodeIfaces([
      { iface: "vmbr0", type: "bridge", active: 1, bridge_ports: "bond0" },
      { iface: "bond0", type: "bond", active: 1, slaves: "eno1 eno2", bond_mode: "802.3ad" },
      { iface: "eno10", type: "eth" },
      { iface: "eno2", type: "eth", active: 1 },
    ]);
    expect(ifaces.map((i) => i.iface)).toEqual(["bond0", "eno2", "eno10", "vmbr0"]);
    expect(ifaces[0]).toEqual({
      iface: "bond0",
      type: "bond",
      is_active: true,
      bond_members: ["eno1", "eno2"],
      bond_mode: "802.3ad",
      bridge_ports: [],
      speed_mbps: null,
    });
    expect(ifaces[2]).toMatchObject({ is_active: false, speed_mbps: null });
  });

  it("keeps a storage's guest volumes only, with their owner and size", () => {
    expect(
      buildLiveStorageVolumes([
        { volid: "local:iso/debian.iso", content: "iso", size: 600 },
        { volid: "local-lvm:vm-101-disk-0", content: "images", size: 1024, vmid: 101 },
        { volid: "local-lvm:base-9000-disk-0", content: "images", size: 2048, vmid: "9000" },
        { volid: "local-lvm:subvol-200-disk-0", content: "rootdir", vmid: 200 },
      ]),
    ).toEqual([
      { volid: "local-lvm:base-9000-disk-0", vmid: 9000, size_bytes: 2048 },
      { volid: "local-lvm:subvol-200-disk-0", vmid: 200, size_bytes: null },
      { volid: "local-lvm:vm-101-disk-0", vmid: 101, size_bytes: 1024 },
    ]);
  });
});
