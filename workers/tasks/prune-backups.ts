import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { pruneBackups } from "@/server/services/switches/backup-run";
import { pruneAudit } from "@/server/services/platform/audit";
import { pruneAddressTimeline } from "@/server/services/addresses/timeline";
import { getSettings } from "@/server/services/platform/settings";
import type { TaskDeps } from "../task-deps";

export function createPruneBackupsTask(deps: TaskDeps): Task {
  return async (payload) => {
    taskPayloads["prune-backups"].parse(payload);
    const settings = await getSettings(deps.db);
    await pruneBackups(deps.db, settings.backupRetentionDays);
    // The daily housekeeping also keeps the audit log within its retention.
    await pruneAudit(deps.db, settings.auditRetentionDays);
    // And the address timeline: ended periods past its retention (current ones always stay).
    await pruneAddressTimeline(deps.db, settings.timelineRetentionDays);
  };
}
