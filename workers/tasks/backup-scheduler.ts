import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { isCronDue } from "@/lib/settings/cron";
import { enqueueBackup } from "@/server/services/switches/backup-jobs";
import { listApprovedSwitchIds } from "@/server/services/switches/backup-run";
import { getSettings } from "@/server/services/platform/settings";
import type { TaskDeps } from "../task-deps";

/** Each minute: when the settings' backup schedule fires, queue one backup per approved switch. */
export function createBackupSchedulerTask(deps: TaskDeps): Task {
  return async (payload) => {
    const { _cron } = taskPayloads["backup-scheduler"].parse(payload);
    const { backupSchedule } = await getSettings(deps.db);
    if (!isCronDue(backupSchedule, new Date(_cron.ts))) return;
    await deps.db.transaction(async (tx) => {
      for (const id of await listApprovedSwitchIds(tx)) await enqueueBackup(tx, id, "scheduled");
    });
  };
}
