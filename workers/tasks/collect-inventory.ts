import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { getEnv } from "@/server/env";
import { collectInventory } from "@/server/services/inventory/collector";
import { resolveProxmoxClient } from "@/server/services/inventory/sources";
import { noteRunEvidence } from "@/server/jobs/run-context";
import type { TaskDeps } from "../task-deps";

/**
 * Collects the live inventory into a snapshot. A failed collection is recorded on its snapshot
 * (the console shows it with the last good one as stale), so the job itself does not retry.
 */
export function createCollectInventoryTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { trigger } = taskPayloads["collect-inventory"].parse(payload);
    const client = deps.resolveInventoryProxmox ? await deps.resolveInventoryProxmox() : await resolveProxmoxClient(deps.db, getEnv(), deps.secretsKey);
    const snapshot = await collectInventory(deps.db, { client, trigger });
    noteRunEvidence({ kind: "collection", id: String(snapshot.id) });
    if (snapshot.status === "failed") helpers.logger.warn(`inventory snapshot ${snapshot.id} failed: ${snapshot.error}`);
  };
}
