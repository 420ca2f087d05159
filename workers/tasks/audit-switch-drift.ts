import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { enqueueJob } from "@/server/jobs/enqueue";
import { listApprovedSwitchIds } from "@/server/services/switches/backup-run";
import { auditSwitchDrift } from "@/server/services/switches/drift";
import { resolveOutsideSystems, type TaskDeps } from "../task-deps";
import { jobKeys, switchQueue } from "@/lib/jobs/keys";

/** Read-only check of one switch, in its own queue; with auto-repair on, it may queue the reconcile. */
export function createAuditSwitchDriftTask(deps: TaskDeps): Task {
  return async (payload) => {
    const { switchId } = taskPayloads["audit-switch-drift"].parse(payload);
    await auditSwitchDrift(
      { db: deps.db, secretsKey: deps.secretsKey, openSession: deps.openJunosSession, panel: await resolveOutsideSystems(deps) },
      switchId,
    );
  };
}

/** Hourly: one drift check per approved switch. */
export function createDriftSchedulerTask(deps: TaskDeps): Task {
  return async (payload) => {
    taskPayloads["drift-scheduler"].parse(payload);
    await deps.db.transaction(async (tx) => {
      for (const id of await listApprovedSwitchIds(tx)) {
        await enqueueJob(tx, "audit-switch-drift", { switchId: id }, { queueName: switchQueue(id), jobKey: jobKeys.auditSwitchDrift(id), maxAttempts: 2 });
      }
    });
  };
}
