import { EDGE_QUEUE, jobKeys } from "@/lib/jobs/keys";
import type { Db } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";

/** "Collect now": the three edge collections queued (joining any already waiting) and audited together. */
export async function requestEdgeRefresh(db: Db, actor: Actor): Promise<{ jobIds: number[] }> {
  return db.transaction(async (tx) => {
    const options = { queueName: EDGE_QUEUE, jobKeyMode: "preserve_run_at" as const, maxAttempts: 1 };
    const jobIds = [
      await enqueueJob(tx, "collect-unifi", { trigger: "manual" }, { ...options, jobKey: jobKeys.collectUnifi }),
      await enqueueJob(tx, "collect-npm", { trigger: "manual" }, { ...options, jobKey: jobKeys.collectNpm }),
      await enqueueJob(tx, "collect-node-networks", { trigger: "manual" }, { ...options, jobKey: jobKeys.collectNodeNetworks }),
    ];
    await writeAudit(tx, actor, { action: "edge.refresh_requested", entityType: "edge", entityId: "collections", after: { jobIds } });
    return { jobIds };
  });
}
