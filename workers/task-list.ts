import type { TaskList } from "graphile-worker";
import type { TaskName } from "@/lib/jobs/payloads";
import type { TaskDeps } from "./task-deps";
import { createHeartbeatTask } from "./tasks/heartbeat";
import { createBackupSchedulerTask } from "./tasks/backup-scheduler";
import { createBackupSwitchTask } from "./tasks/backup-switch";
import { createAuditSwitchDriftTask, createDriftSchedulerTask } from "./tasks/audit-switch-drift";
import { createPortSecurityEventTask } from "./tasks/port-security-event";
import { createPruneBackupsTask } from "./tasks/prune-backups";
import { createPruneJobRunsTask } from "./tasks/prune-job-runs";
import { createBackfillAddressTimelineTask } from "./tasks/backfill-address-timeline";
import { createReconcileSwitchTask } from "./tasks/reconcile-switch";
import { createPruneInventorySnapshotsTask } from "./tasks/prune-inventory-snapshots";
import { createRequeuePortSecurityEventsTask } from "./tasks/requeue-port-security-events";
import { createCollectInventoryTask } from "./tasks/collect-inventory";
import { createInventorySchedulerTask } from "./tasks/inventory-scheduler";
import { createRemoveSwitchTask } from "./tasks/remove-switch";
import { createRunProvisioningJobTask } from "./tasks/run-provisioning-job";
import { createApplyStripeEventTask } from "./tasks/apply-stripe-event";
import { createCheckBillingLedgerTask } from "./tasks/check-billing-ledger";
import { createCollectUsageTask } from "./tasks/collect-usage";
import { createCollectUnifiTask } from "./tasks/collect-unifi";
import { createCollectNpmTask } from "./tasks/collect-npm";
import { createCollectNodeNetworksTask } from "./tasks/collect-node-networks";
import { createEvaluateNotificationsTask } from "./tasks/evaluate-notifications";
import { createDeliverNotificationTask } from "./tasks/deliver-notification";

/** The one task list. Keyed by TaskName so a payload schema without a task fails to compile. */
export function createTaskList(deps: TaskDeps): TaskList & Record<TaskName, unknown> {
  return {
    heartbeat: createHeartbeatTask(deps),
    "reconcile-switch": createReconcileSwitchTask(deps),
    "backup-switch": createBackupSwitchTask(deps),
    "backup-scheduler": createBackupSchedulerTask(deps),
    "prune-backups": createPruneBackupsTask(deps),
    "prune-job-runs": createPruneJobRunsTask(deps),
    "backfill-address-timeline": createBackfillAddressTimelineTask(deps),
    "port-security-event": createPortSecurityEventTask(deps),
    "audit-switch-drift": createAuditSwitchDriftTask(deps),
    "drift-scheduler": createDriftSchedulerTask(deps),
    "requeue-port-security-events": createRequeuePortSecurityEventsTask(deps),
    "prune-inventory-snapshots": createPruneInventorySnapshotsTask(deps),
    "collect-inventory": createCollectInventoryTask(deps),
    "inventory-scheduler": createInventorySchedulerTask(deps),
    "remove-switch": createRemoveSwitchTask(deps),
    "run-provisioning-job": createRunProvisioningJobTask(deps),
    "apply-stripe-event": createApplyStripeEventTask(deps),
    "collect-usage": createCollectUsageTask(deps),
    "check-billing-ledger": createCheckBillingLedgerTask(deps),
    "collect-unifi": createCollectUnifiTask(deps),
    "collect-npm": createCollectNpmTask(deps),
    "collect-node-networks": createCollectNodeNetworksTask(deps),
    "evaluate-notifications": createEvaluateNotificationsTask(deps),
    "deliver-notification": createDeliverNotificationTask(deps),
  };
}
