import { computeHostCapacity, type HostCapacityReport } from "@/lib/inventory/host-capacity";
import type { DbOrTx } from "@/server/db/client";
import { getInventoryStatus } from "./queries";

export interface HostCapacity extends HostCapacityReport {
  collectedAt: string | null;
  isStale: boolean;
}

/** Per node, from the latest good inventory snapshot (see computeHostCapacity), with its freshness. */
export async function getHostCapacity(db: DbOrTx, want?: { cpus: number; memBytes: number; diskBytes: number }): Promise<HostCapacity> {
  const status = await getInventoryStatus(db);
  return { collectedAt: status.collected_at, isStale: status.is_stale, ...computeHostCapacity(status.snapshot?.data, want) };
}
