import type { DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";
import { getSwitch } from "./switches";
import { jobKeys, switchQueue } from "@/lib/jobs/keys";

/** In the switch's own queue, so a backup never opens a second session beside a push. */
export function enqueueBackup(tx: DbOrTx, switchId: number, reason: "scheduled" | "on-demand"): Promise<number> {
  return enqueueJob(tx, "backup-switch", { switchId, reason }, { queueName: switchQueue(switchId), jobKey: jobKeys.backupSwitch(switchId) });
}

export async function requestBackupNow(db: DbOrTx, actor: Actor, switchId: number): Promise<{ jobId: number }> {
  return db.transaction(async (tx) => {
    await getSwitch(tx, switchId);
    const jobId = await enqueueBackup(tx, switchId, "on-demand");
    await writeAudit(tx, actor, { action: "switch.backup_requested", entityType: "switch", entityId: String(switchId), after: { jobId } });
    return { jobId };
  });
}

export async function requestDriftCheck(db: DbOrTx, actor: Actor, switchId: number): Promise<{ jobId: number }> {
  return db.transaction(async (tx) => {
    await getSwitch(tx, switchId);
    const jobId = await enqueueJob(
      tx,
      "audit-switch-drift",
      { switchId },
      { queueName: switchQueue(switchId), jobKey: jobKeys.auditSwitchDrift(switchId), maxAttempts: 2 },
    );
    await writeAudit(tx, actor, { action: "switch.drift_check_requested", entityType: "switch", entityId: String(switchId), after: { jobId } });
    return { jobId };
  });
}
