import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { JunosError } from "@/lib/junos/errors";
import { backupSwitch } from "@/server/services/switches/backup-run";
import { getLogger } from "@/server/logger";
import { noteRunEvidence } from "@/server/jobs/run-context";
import type { TaskDeps } from "../task-deps";

/** Runs in the switch's queue, between pushes, never beside one. */
export function createBackupSwitchTask(deps: TaskDeps): Task {
  return async (payload) => {
    const { switchId, reason } = taskPayloads["backup-switch"].parse(payload);
    try {
      const backup = await backupSwitch({ db: deps.db, secretsKey: deps.secretsKey, openSession: deps.openJunosSession }, switchId, reason);
      noteRunEvidence({ kind: "backup", id: `${switchId}/${backup.id}` });
    } catch (e) {
      if (e instanceof JunosError && !e.isRetryable) {
        getLogger().warn({ switchId, kind: e.kind }, `backup skipped: ${e.message}`);
        return;
      }
      throw e;
    }
  };
}
