import { describe, expect, it } from "vitest";
import { parseDiskString, parseGuestDisks, parseProxmoxSize } from "./guest-disks";

const GiB = 2 ** 30;

describe("Proxmox sizes", () => {
  it("reads K, M, G and T as powers of 1024 and a bare number as bytes", () => {
    expect(parseProxmoxSize("528K")).toBe(528 * 1024);
    expect(parseProxmoxSize("4M")).toBe(4 * 2 ** 20);
    expect(parseProxmoxSize("32G")).toBe(32 * GiB);
    expect(parseProxmoxSize("2T")).toBe(2 * 2 ** 40);
    expect(parseProxmoxSize("0.5T")).toBe(512 * GiB);
    expect(parseProxmoxSize("1073741824")).toBe(GiB);
    // Newer pve-common also takes the IEC spelling; fractions of a byte are dropped, as Proxmox's int() does.
    expect(parseProxmoxSize("8GiB")).toBe(8 * GiB);
    expect(parseProxmoxSize("1.5K")).toBe(1536);
    expect(parseProxmoxSize("0.3K")).toBe(307);
  });

  it("refuses what is not a size", () => {
    for (const bad of ["", "G", "32GB", "32 G", "-1G", "32g", "1e3", "8Gi"]) expect(parseProxmoxSize(bad)).toBeNull();
  });
});

describe("guest disk strings", () => {
  it("splits storage, volume and size, whatever options come between", () => {
    expect(parseDiskString("scsi0", "local-lvm:vm-101-disk-0,discard=on,iothread=1,size=32G,ssd=1")).toEqual({
      key: "scsi0",
      storage: "local-lvm",
      volume: "vm-101-disk-0",
      sizeBytes: 32 * GiB,
      isUnused: false,
    });
    expect(parseDiskString("rootfs", "ceph-vm:subvol-7800-disk-0,size=8G")).toMatchObject({
      storage: "ceph-vm",
      volume: "subvol-7800-disk-0",
      sizeBytes: 8 * GiB,
    });
    expect(parseDiskString("efidisk0", "local-lvm:vm-101-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M")).toMatchObject({ sizeBytes: 4 * 2 ** 20 });
  });

  it("drops CD-ROMs, pass-through devices and bind mounts: none is on a Proxmox storage", () => {
    expect(parseDiskString("ide2", "none,media=cdrom")).toBeNull();
    expect(parseDiskString("ide2", "local:iso/debian-12.iso,media=cdrom,size=628M")).toBeNull();
    expect(parseDiskString("scsi1", "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0,size=3726G")).toBeNull();
    expect(parseDiskString("mp0", "/srv/media,mp=/media")).toBeNull();
  });

  it("keeps a detached disk with its size unknown", () => {
    expect(parseDiskString("unused0", "local-lvm:vm-101-disk-2")).toEqual({
      key: "unused0",
      storage: "local-lvm",
      volume: "vm-101-disk-2",
      sizeBytes: null,
      isUnused: true,
    });
  });

  it("reads a VM's and a container's disks from their configs, ignoring keys that are not disks", () => {
    const vm = {
      name: "db",
      net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0",
      scsi10: "local-lvm:vm-101-disk-3,size=1T",
      scsi0: "local-lvm:vm-101-disk-0,size=32G",
      scsi2: "ceph-vm:vm-101-disk-2,size=100G",
      ide2: "none,media=cdrom",
      scsihw: "virtio-scsi-single",
      mp0: "local-lvm:not-a-qemu-key,size=1G",
    };
    expect(parseGuestDisks("qemu", vm).map((d) => [d.key, d.storage, d.sizeBytes])).toEqual([
      ["scsi0", "local-lvm", 32 * GiB],
      ["scsi2", "ceph-vm", 100 * GiB],
      ["scsi10", "local-lvm", 2 ** 40],
    ]);
    const ct = { hostname: "web", rootfs: "local-lvm:subvol-200-disk-0,size=8G", mp0: "local-lvm:subvol-200-disk-1,mp=/data,size=50G", mp1: "/srv/x,mp=/x" };
    expect(parseGuestDisks("lxc", ct).map((d) => [d.key, d.sizeBytes])).toEqual([
      ["mp0", 50 * GiB],
      ["rootfs", 8 * GiB],
    ]);
  });
});
