import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { backfillAddressTimeline } from "@/server/services/addresses/timeline";
import type { TaskDeps } from "../task-deps";

/** Queued at every worker start; fills the timeline from stored pushes and collections once, then does nothing. */
export function createBackfillAddressTimelineTask(deps: TaskDeps): Task {
  return async (payload) => {
    taskPayloads["backfill-address-timeline"].parse(payload);
    await backfillAddressTimeline(deps.db);
  };
}
