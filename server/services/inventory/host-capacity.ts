import { computeNodeCapacity, suggestPlacement, type NodeCapacity, type Placement } from "@/lib/inventory/capacity";
import type { DbOrTx } from "@/server/db/client";
import { getInventoryStatus } from "./queries";

export interface HostCapacity {
  collectedAt: string | null;
  isStale: boolean;
  nodes: Array<NodeCapacity & { storage: { total: number; used: number } }>;
  placements: Placement[] | null;
}

/**
 * Per node, from the latest good inventory snapshot: CPU and RAM against what guests are given and
 * what they use, local storage, and — when a workload is described — where it fits, spare first.
 */
export async function getHostCapacity(db: DbOrTx, want?: { cpus: number; memBytes: number; diskBytes: number }): Promise<HostCapacity> {
  const status = await getInventoryStatus(db);
  const data = status.snapshot?.data;
  const nodes = data?.nodes ?? [];
  const capacity = computeNodeCapacity(
    nodes.map((n) => {
      const local = n.storage.filter((s) => !s.is_shared);
      return {
        node: n.node,
        status: n.status,
        cpus: n.cpus,
        memBytes: n.mem_total_bytes,
        // Guests' disks live on the node's local storages; shared ones are the cluster's.
        diskBytes: local.reduce((a, s) => a + s.total_bytes, 0),
        cpuUsed: n.cpu_load,
        memUsedBytes: n.mem_used_bytes,
        diskUsedBytes: local.reduce((a, s) => a + s.used_bytes, 0),
      };
    }),
    (data?.guests ?? []).map((g) => ({ node: g.node, vmid: g.vmid, status: g.status, cpus: g.cpus, memBytes: g.mem_bytes, diskBytes: 0 })),
  );
  const byNode = new Map(nodes.map((n) => [n.node, n]));
  return {
    collectedAt: status.collected_at,
    isStale: status.is_stale,
    nodes: capacity.map((c) => {
      const local = byNode.get(c.node)!.storage.filter((s) => !s.is_shared);
      return { ...c, storage: { total: local.reduce((a, s) => a + s.total_bytes, 0), used: local.reduce((a, s) => a + s.used_bytes, 0) } };
    }),
    // Disk allocation per guest is not in the snapshot: placement checks free local storage instead.
    placements: want
      ? suggestPlacement(
          capacity.map((c) => ({ ...c, disk: { ...c.disk, allocated: c.disk.used ?? 0 } })),
          want,
        )
      : null,
  };
}
