import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { backfillNodeCapacity, pruneInventorySnapshots } from "@/server/services/inventory/collector";
import type { TaskDeps } from "../task-deps";

/**
 * Daily: snapshots older than the retention go, the newest good ones always stay; then any good
 * snapshot still without capacity history (collected before it was recorded) gets it.
 */
export function createPruneInventorySnapshotsTask(deps: TaskDeps): Task {
  return async (payload) => {
    taskPayloads["prune-inventory-snapshots"].parse(payload);
    await pruneInventorySnapshots(deps.db);
    await backfillNodeCapacity(deps.db);
  };
}
