import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { completeSwitchRemoval, recordRemovalGaveUp } from "@/server/services/switches/lifecycle";
import type { TaskDeps } from "../task-deps";

/**
 * Deletes a switch once the wipe of our bindings has been pushed. It runs in the switch's queue,
 * queued after the wipe's reconcile, so it sees that run's outcome; while ports are still dirty it
 * throws and graphile's backoff tries again (a retried reconcile may still succeed meanwhile).
 */
export function createRemoveSwitchTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { switchId, requestedBy } = taskPayloads["remove-switch"].parse(payload);
    try {
      await completeSwitchRemoval(deps.db, switchId, requestedBy);
    } catch (e) {
      if (helpers.job.attempts >= helpers.job.max_attempts) await recordRemovalGaveUp(deps.db, switchId, requestedBy, (e as Error).message);
      throw e;
    }
  };
}
