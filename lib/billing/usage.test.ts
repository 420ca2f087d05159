import { describe, expect, it } from "vitest";
import { computeBandwidthFigure, computeDiskGb, computeGuestDayUsage, computeIpv4Counts, findMissingDays, isPublicIpv4 } from "./usage";

describe("guest usage", () => {
  it("sums a guest's disks in GB, whatever the unit, without CD-ROMs", () => {
    expect(
      computeDiskGb({
        scsi0: "local-lvm:vm-101-disk-0,size=32G",
        virtio1: "ceph:vm-101-disk-1,size=1T,iothread=1",
        ide2: "local:iso/debian.iso,media=cdrom,size=600M",
        efidisk0: "local-lvm:vm-101-disk-2,size=512K",
        net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0",
      }),
    ).toBeCloseTo(32 + 1024 + 512 / 2 ** 20, 9);
    expect(computeDiskGb({ rootfs: "local-lvm:subvol-200-disk-0,size=8G", mp0: "tank:subvol-200-disk-1,mp=/data,size=100G" })).toBe(108);
  });

  it("reads a bare size as bytes, as Proxmox writes one (pve-common parse_size), and skips pass-through disks", () => {
    expect(computeDiskGb({ scsi0: "local-lvm:vm-9-disk-0,size=1073741824", scsi1: "/dev/disk/by-id/ata-X,size=100G" })).toBe(1);
  });

  it("bills vCPU and RAM for a running day, disks always", () => {
    const config = { scsi0: "local-lvm:vm-7-disk-0,size=20G" };
    expect(
      computeGuestDayUsage({ vmid: 7, node: "pve1", status: "running", maxcpu: 4, maxmem: 8 * 2 ** 30 }, config).map((f) => [f.meter, f.quantityMilli]),
    ).toEqual([
      ["cpu_hours", 96_000],
      ["ram_gb_hours", 192_000],
      ["storage_gb_days", 20_000],
    ]);
    expect(computeGuestDayUsage({ vmid: 7, node: "pve1", status: "stopped", maxcpu: 4, maxmem: 8 * 2 ** 30 }, config).map((f) => f.quantityMilli)).toEqual([
      0, 0, 20_000,
    ]);
  });
});

describe("public IPv4", () => {
  it("counts public addresses per VM, not private, CGNAT or IPv6 ones", () => {
    expect(isPublicIpv4("203.0.113.5")).toBe(false); // TEST-NET-3 is reserved
    expect(isPublicIpv4("8.8.8.8")).toBe(true);
    expect(isPublicIpv4("10.0.0.1")).toBe(false);
    expect(isPublicIpv4("100.64.1.1")).toBe(false);
    expect(isPublicIpv4("2001:db8::1")).toBe(false);
    expect(
      computeIpv4Counts([
        { address: "8.8.8.8", vmid: 1 },
        { address: "1.1.1.1", vmid: 1 },
        { address: "10.1.1.1", vmid: 1 },
        { address: "9.9.9.9", vmid: null },
      ]),
    ).toEqual([{ object: "vmid:1", node: null, meter: "ipv4_count", quantityMilli: 2000 }]);
  });
});

describe("bandwidth and coverage", () => {
  it("turns bits/s samples into the billable Mbit/s", () => {
    const samples = Array.from({ length: 20 }, (_, i) => ({ inBps: (i + 1) * 1_000_000, outBps: 0 }));
    expect(computeBandwidthFigure(3, samples, "higher")).toMatchObject({ object: "server:3", quantityMilli: 19_000 });
  });

  it("lists the days of a period that were never collected", () => {
    expect(findMissingDays("2026-02-27", "2026-03-02", new Set(["2026-02-28", "2026-03-02"]))).toEqual(["2026-02-27", "2026-03-01"]);
  });
});
