import { computeHostCapacity } from "./host-capacity";
import type { LiveInventoryData } from "./snapshot";

// Node capacity over time: each collection's per-node figures (the hosts page's own, from
// computeHostCapacity) stored once, then shaped here into the chart's series. Pure.

export interface NodeCapacityRecord {
  node: string;
  cpuTotal: number;
  cpuAllocated: number;
  cpuUsed: number | null;
  memTotalBytes: number;
  memAllocatedBytes: number;
  memUsedBytes: number | null;
  storageTotalBytes: number;
  storageAllocatedBytes: number;
  storageUsedBytes: number | null;
}

/** The figures to store for one collection: per node, CPU / RAM / local guest storage as the hosts page shows them. */
export function computeNodeCapacityRecords(data: Pick<LiveInventoryData, "nodes" | "guests">): NodeCapacityRecord[] {
  const bytes = (n: number | null) => (n === null ? null : Math.round(n));
  return computeHostCapacity(data).nodes.map((n) => ({
    node: n.node,
    cpuTotal: n.cpu.total,
    cpuAllocated: n.cpu.allocated,
    cpuUsed: n.cpu.used,
    memTotalBytes: Math.round(n.mem.total),
    memAllocatedBytes: Math.round(n.mem.allocated),
    memUsedBytes: bytes(n.mem.used),
    storageTotalBytes: Math.round(n.storage.total),
    storageAllocatedBytes: Math.round(n.storage.allocated),
    // A node that was not online has no storage read: no use to show rather than a zero.
    storageUsedBytes: n.status === "online" && n.storage.total > 0 ? bytes(n.storage.used) : null,
  }));
}

export interface CapacityPoint {
  /** ISO 8601, the collection's time. */
  at: string;
  /** Percent of the node's total at that time; null where the total or the use is unknown. Allocated may pass 100 (overcommit). */
  cpuAllocated: number | null;
  cpuUsed: number | null;
  memAllocated: number | null;
  memUsed: number | null;
  storageAllocated: number | null;
  storageUsed: number | null;
}

export interface NodeCapacitySeries {
  node: string;
  points: CapacityPoint[];
  /** The newest record as stored (the figures the chart's last point is drawn from). */
  latest: NodeCapacityRecord & { at: string };
}

const pct = (part: number | null, total: number) => (part === null || total <= 0 ? null : Math.round((1000 * part) / total) / 10);

/** Per node (by name), its points oldest first. */
export function computeCapacitySeries(records: ReadonlyArray<NodeCapacityRecord & { collectedAt: Date | string }>): NodeCapacitySeries[] {
  const byNode = new Map<string, Array<NodeCapacityRecord & { at: string }>>();
  for (const r of records) {
    const at = new Date(r.collectedAt).toISOString();
    byNode.set(r.node, [...(byNode.get(r.node) ?? []), { ...r, at }]);
  }
  return [...byNode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([node, rows]) => {
      const sorted = rows.sort((a, b) => a.at.localeCompare(b.at));
      return {
        node,
        points: sorted.map((r) => ({
          at: r.at,
          cpuAllocated: pct(r.cpuAllocated, r.cpuTotal),
          cpuUsed: pct(r.cpuUsed, r.cpuTotal),
          memAllocated: pct(r.memAllocatedBytes, r.memTotalBytes),
          memUsed: pct(r.memUsedBytes, r.memTotalBytes),
          storageAllocated: pct(r.storageAllocatedBytes, r.storageTotalBytes),
          storageUsed: pct(r.storageUsedBytes, r.storageTotalBytes),
        })),
        latest: sorted.at(-1)!,
      };
    });
}
