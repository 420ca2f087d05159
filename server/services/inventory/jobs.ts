import type { DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";
import { INVENTORY_QUEUE, jobKeys } from "@/lib/jobs/keys";

/**
 * One collection at a time, in its own queue; refreshes asked for while one waits join it
 * (same job key), so ten clicks make one job.
 */
export function enqueueInventoryCollection(tx: DbOrTx, trigger: "schedule" | "manual" | "api"): Promise<number> {
  return enqueueJob(
    tx,
    "collect-inventory",
    { trigger },
    { queueName: INVENTORY_QUEUE, jobKey: jobKeys.collectInventory, jobKeyMode: "preserve_run_at", maxAttempts: 1 },
  );
}

/** "Refresh now" from the console or the API: queued and audited together. */
export async function requestInventoryRefresh(db: DbOrTx, actor: Actor, trigger: "manual" | "api"): Promise<{ jobId: number }> {
  return db.transaction(async (tx) => {
    const jobId = await enqueueInventoryCollection(tx, trigger);
    await writeAudit(tx, actor, { action: "inventory.refresh_requested", entityType: "inventory", entityId: "live", after: { jobId, trigger } });
    return { jobId };
  });
}
