import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { pruneBackups } from "@/server/services/switches/backup-run";
import { getSettings } from "@/server/services/platform/settings";
import type { TaskDeps } from "../task-deps";

export function createPruneBackupsTask(deps: TaskDeps): Task {
  return async (payload) => {
    taskPayloads["prune-backups"].parse(payload);
    await pruneBackups(deps.db, (await getSettings(deps.db)).backupRetentionDays);
  };
}
