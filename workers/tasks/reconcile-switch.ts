import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { reconcileSwitch } from "@/server/services/switches/reconcile";
import { enqueueReconcile } from "@/server/services/switches/switches";
import { noteRunEvidence } from "@/server/jobs/run-context";
import { resolveOutsideSystems, type TaskDeps } from "../task-deps";

/**
 * Runs in the switch's own queue, so never two sessions to one switch. Transient failures
 * (connection, timeout, lock) throw for graphile's backoff; the rest are recorded on the push and
 * shown on the console, since retrying a refused password or a changed host key cannot help. A
 * confirmed commit pending on the switch defers the run to just after its rollback deadline; a port
 * whose facts could not be read is retried a little later, without holding up the others.
 */
export function createReconcileSwitchTask(deps: TaskDeps): Task {
  return async (payload) => {
    const { switchId, trigger } = taskPayloads["reconcile-switch"].parse(payload);
    const result = await reconcileSwitch(
      {
        db: deps.db,
        secretsKey: deps.secretsKey,
        openSession: deps.openJunosSession,
        confirmMinutes: deps.confirmMinutes,
        switchMinuteMs: deps.switchMinuteMs,
        panel: await resolveOutsideSystems(deps),
      },
      switchId,
      trigger,
    );
    if ("push" in result) noteRunEvidence({ kind: "push", id: `${switchId}/${result.push.id}` });
    if (result.status === "deferred" && "retryAt" in result && result.retryAt) {
      await enqueueReconcile(deps.db, switchId, "after-pending-confirm", result.retryAt.getTime() - Date.now());
      return;
    }
    if ((result.status === "failed" || result.status === "awaiting-confirm") && "error" in result && result.error?.isRetryable) throw result.error;
    // A port left untouched for a server's unreadable facts is planned again soon; the rest was pushed.
    if ("retryAt" in result && result.retryAt) await enqueueReconcile(deps.db, switchId, "retry-unreadable-facts", result.retryAt.getTime() - Date.now());
  };
}
