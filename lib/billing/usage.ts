import ipaddr from "ipaddr.js";
import type { BandwidthMode, BandwidthSample } from "./percentile";
import { computeBandwidthP95 } from "./percentile";

// One UTC day's figures per object, from what the sources said at collection. Quantities in
// thousandths of the meter's unit (see ./money.ts).

import { parseDiskString } from "../inventory/guest-disks";
import type { BillingMeter } from "./meters";

export type UsageMeter = BillingMeter;
export interface UsageFigure {
  object: string;
  meter: UsageMeter;
  quantityMilli: number;
  node: string | null;
}

const GIB = 2 ** 30;
// Proxmox's disk keys (qm.conf / pct.conf): bus+index for QEMU, rootfs and mpN for LXC.
const DISK_KEY = /^(ide|sata|scsi|virtio|efidisk|tpmstate)\d+$|^rootfs$|^mp\d+$/;

/** Allocated disk GB in a guest's config (`scsi0: local-lvm:vm-101-disk-0,size=32G`); CD-ROMs are not storage. */
export function computeDiskGb(config: Record<string, unknown>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(config)) {
    if (!DISK_KEY.test(key) || typeof value !== "string") continue;
    // One reading of Proxmox's disk strings (a bare size is bytes, K/M/G/T are powers of 1024).
    bytes += parseDiskString(key, value)?.sizeBytes ?? 0;
  }
  return bytes / GIB;
}

/**
 * One point of a guest's Proxmox RRD history (`GET …/{qemu|lxc}/{vmid}/rrddata`). PVE stamps each
 * point with the start of its interval (PVE::RRD create_rrd_data: `time => $start`, then `+= $step`)
 * and leaves out the fields that are unknown: pvestatd writes `cpu` and `mem` as undefined for a
 * guest that is not running (pve-manager PVE/Service/pvestatd.pm, update_qemu_status), so a point
 * with `cpu` is a stretch the guest ran. `maxcpu`/`maxmem` are written either way.
 */
export interface GuestRrdPoint {
  time: number;
  cpu?: number;
  maxcpu?: number;
  maxmem?: number;
}

/**
 * A guest's UTC day, billed by allocation: vCPUs and RAM for the time its RRD history shows it
 * running (a resize mid-day counts each stretch at its own size), disks whether it ran or not.
 * Null when the points do not cover the whole day (ask a longer timeframe), so part of a day is
 * never billed as the whole of it.
 */
export function computeGuestDayUsage(
  guest: { vmid: number; node: string; maxcpu?: number; maxmem?: number },
  config: Record<string, unknown>,
  points: readonly GuestRrdPoint[],
  day: string,
): UsageFigure[] | null {
  const dayStart = Date.parse(`${day}T00:00:00Z`) / 1000;
  const dayEnd = dayStart + 86_400;
  const times = [...new Set(points.map((p) => p.time))].sort((a, b) => a - b);
  // The resolution is what the points are spaced by (PVE: 60 s to a week, by timeframe and schema).
  let step = Infinity;
  for (let i = 1; i < times.length; i++) step = Math.min(step, times[i]! - times[i - 1]!);
  if (!Number.isFinite(step) || step <= 0) return null;
  if (times[0]! > dayStart || times.at(-1)! + step < dayEnd) return null;
  let cpuHours = 0;
  let ramGbHours = 0;
  for (const p of points) {
    const seconds = Math.min(p.time + step, dayEnd) - Math.max(p.time, dayStart);
    if (seconds <= 0 || p.cpu === undefined) continue;
    cpuHours += ((p.maxcpu ?? guest.maxcpu ?? 0) * seconds) / 3600;
    ramGbHours += ((p.maxmem ?? guest.maxmem ?? 0) / GIB) * (seconds / 3600);
  }
  const object = `vmid:${guest.vmid}`;
  return [
    { object, node: guest.node, meter: "cpu_hours", quantityMilli: Math.round(cpuHours * 1000) },
    { object, node: guest.node, meter: "ram_gb_hours", quantityMilli: Math.round(ramGbHours * 1000) },
    { object, node: guest.node, meter: "storage_gb_days", quantityMilli: Math.round(computeDiskGb(config) * 1000) },
  ];
}

/** Public IPv4: what a customer pays for; RFC 1918, CGNAT, loopback and other reserved ranges are not. */
export function isPublicIpv4(address: string): boolean {
  if (!ipaddr.IPv4.isValid(address)) return false;
  return ipaddr.IPv4.parse(address).range() === "unicast";
}

/** IPv4 count per VM from IPAM rows (active, public, with a VMID). */
export function computeIpv4Counts(rows: ReadonlyArray<{ address: string; vmid: number | null }>): UsageFigure[] {
  const counts = new Map<number, number>();
  for (const r of rows) if (r.vmid !== null && isPublicIpv4(r.address)) counts.set(r.vmid, (counts.get(r.vmid) ?? 0) + 1);
  return [...counts].map(([vmid, n]) => ({ object: `vmid:${vmid}`, node: null, meter: "ipv4_count", quantityMilli: n * 1000 }));
}

/** A server's billable bandwidth in Mbit/s (thousandths) from bits/s samples. */
export function computeBandwidthFigure(serverId: number, samples: readonly BandwidthSample[], mode: BandwidthMode): UsageFigure {
  return { object: `server:${serverId}`, node: null, meter: "bandwidth_p95_mbps", quantityMilli: Math.round(computeBandwidthP95(samples, mode) / 1000) };
}

/** Every UTC day from `from` to `to` inclusive (YYYY-MM-DD). */
export function listDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) out.push(d.toISOString().slice(0, 10));
  return out;
}

/**
 * Days of a period without a successful collection: shown as missing, never counted as zero. A day
 * is collected the night after it ends (collect-usage takes yesterday), so today and the days to
 * come cannot be missing yet: on 6 December, December has at most 5 missing days, not 31.
 */
export function findMissingDays(from: string, to: string, collected: ReadonlySet<string>, now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  return listDays(from, to).filter((d) => d < today && !collected.has(d));
}
