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

  // Points as PVE gives them: stamped at the start of each interval, `cpu` left out while stopped.
  const GIB = 2 ** 30;
  const day = "2026-11-01";
  const t0 = Date.parse(`${day}T00:00:00Z`) / 1000;
  const history = (step: number, from: number, to: number, isRunningAt: (t: number) => boolean, size = { maxcpu: 4, maxmem: 8 * GIB }) =>
    Array.from({ length: Math.floor((to - from) / step) }, (_, i) => from + i * step).map((time) =>
      isRunningAt(time) ? { time, cpu: 0.12, mem: GIB, ...size } : { time, ...size },
    );
  const guest = { vmid: 7, node: "pve1", maxcpu: 4, maxmem: 8 * GIB };
  const config = { scsi0: "local-lvm:vm-7-disk-0,size=20G" };
  const figures = (points: ReturnType<typeof history>) => computeGuestDayUsage(guest, config, points, day)?.map((f) => [f.meter, f.quantityMilli]);

  it("bills vCPU and RAM for the hours the RRD shows the guest running, disks always", () => {
    // PVE 8's `day`: 30-minute points over 35 hours; stopped 06:00–12:00 that day.
    const points = history(1800, t0 - 11 * 3600, t0 + 24 * 3600, (t) => t < t0 + 6 * 3600 || t >= t0 + 12 * 3600);
    expect(figures(points)).toEqual([
      ["cpu_hours", 18 * 4 * 1000],
      ["ram_gb_hours", 18 * 8 * 1000],
      ["storage_gb_days", 20_000],
    ]);
    // Stopped all day: no vCPU or RAM, the disks still.
    expect(figures(history(1800, t0 - 3600, t0 + 24 * 3600, () => false))).toEqual([
      ["cpu_hours", 0],
      ["ram_gb_hours", 0],
      ["storage_gb_days", 20_000],
    ]);
  });

  it("counts a stretch at the size the guest had then (a resize mid-day), and reads 1-minute points as well as coarse ones", () => {
    const before = history(60, t0, t0 + 12 * 3600, () => true, { maxcpu: 2, maxmem: 4 * GIB });
    const after = history(60, t0 + 12 * 3600, t0 + 24 * 3600, () => true, { maxcpu: 8, maxmem: 16 * GIB });
    expect(figures([...before, ...after])).toEqual([
      ["cpu_hours", (12 * 2 + 12 * 8) * 1000],
      ["ram_gb_hours", (12 * 4 + 12 * 16) * 1000],
      ["storage_gb_days", 20_000],
    ]);
    // A 3-hour point straddling midnight (PVE 8's `week`) counts only its part inside the day.
    expect(figures(history(10_800, t0 - 5400, t0 + 27 * 3600, (t) => t === t0 - 5400))?.[0]).toEqual(["cpu_hours", 1.5 * 4 * 1000]);
  });

  it("refuses points that do not cover the whole day (a `day` of PVE 9 read after midnight), rather than bill part of it as all", () => {
    expect(
      computeGuestDayUsage(
        guest,
        config,
        history(60, t0 + 3600, t0 + 25 * 3600, () => true),
        day,
      ),
    ).toBeNull();
    expect(
      computeGuestDayUsage(
        guest,
        config,
        history(1800, t0 - 3600, t0 + 20 * 3600, () => true),
        day,
      ),
    ).toBeNull();
    expect(computeGuestDayUsage(guest, config, [], day)).toBeNull();
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
    expect(findMissingDays("2026-02-27", "2026-03-02", new Set(["2026-02-28", "2026-03-02"]), new Date("2026-03-10T12:00:00Z"))).toEqual([
      "2026-02-27",
      "2026-03-01",
    ]);
  });

  it("does not count today or days still to come as missing (6 December: 5 days, not 31)", () => {
    const now = new Date("2026-12-06T14:05:09Z");
    expect(findMissingDays("2026-12-01", "2026-12-31", new Set(), now)).toEqual(["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05"]);
    expect(findMissingDays("2026-12-01", "2026-12-31", new Set(["2026-12-02", "2026-12-05"]), now)).toEqual(["2026-12-01", "2026-12-03", "2026-12-04"]);
    expect(findMissingDays("2027-01-01", "2027-01-31", new Set(), now)).toEqual([]);
  });
});
