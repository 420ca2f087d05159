import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { reconcileSwitch } from "@/server/services/switch-reconcile";
import { resolvePanel, type TaskDeps } from "../task-deps";

/**
 * Runs in the switch's own queue, so never two sessions to one switch. Transient failures
 * (connection, timeout, lock) throw for graphile's backoff; the rest are recorded on the push and
 * shown on the console, since retrying a refused password or a changed host key cannot help.
 */
export function createReconcileSwitchTask(deps: TaskDeps): Task {
  return async (payload) => {
    const { switchId, trigger } = taskPayloads["reconcile-switch"].parse(payload);
    const result = await reconcileSwitch({ db: deps.db, secretsKey: deps.secretsKey, openSession: deps.openJunosSession, confirmMinutes: deps.confirmMinutes, panel: await resolvePanel(deps) }, switchId, trigger);
    if (result.status === "failed" && result.error?.isRetryable) throw result.error;
  };
}
