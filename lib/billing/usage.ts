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
 * A guest's day, billed by allocation: vCPUs and RAM for the hours it ran, disks whether it ran or
 * not. Running is what its status said at collection, counted as the whole day (the nightly job
 * reads status, not RRD history: a guest stopped mid-day counts as its state at collection).
 */
export function computeGuestDayUsage(
  guest: { vmid: number; node: string; status?: string; maxcpu?: number; maxmem?: number },
  config: Record<string, unknown>,
  hours = 24,
): UsageFigure[] {
  const object = `vmid:${guest.vmid}`;
  const isRunning = guest.status === "running";
  const hoursRun = isRunning ? hours : 0;
  return [
    { object, node: guest.node, meter: "cpu_hours", quantityMilli: Math.round((guest.maxcpu ?? 0) * hoursRun * 1000) },
    { object, node: guest.node, meter: "ram_gb_hours", quantityMilli: Math.round(((guest.maxmem ?? 0) / GIB) * hoursRun * 1000) },
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

/** Days of a period without a successful collection: shown as missing, never counted as zero. */
export function findMissingDays(from: string, to: string, collected: ReadonlySet<string>): string[] {
  return listDays(from, to).filter((d) => !collected.has(d));
}
