import { parseCronItems, type CronItem } from "graphile-worker";
import { BILLING_USAGE_QUEUE, EDGE_QUEUE, jobKeys } from "@/lib/jobs/keys";
import type { TaskName } from "@/lib/jobs/payloads";

// The one crontab. Identifiers are stable: graphile-worker tracks last runs by them.
const items: Array<CronItem & { task: TaskName }> = [
  {
    identifier: "heartbeat",
    task: "heartbeat",
    match: "* * * * *",
    payload: { reason: "cron" },
    options: { backfillPeriod: 0, maxAttempts: 1, jobKey: "heartbeat" },
  },
  // The backup schedule lives in settings, so it can change without a restart: this checks it each minute.
  { identifier: "backup-scheduler", task: "backup-scheduler", match: "* * * * *", options: { backfillPeriod: 0, maxAttempts: 1, jobKey: "backup-scheduler" } },
  { identifier: "drift-scheduler", task: "drift-scheduler", match: "15 * * * *", options: { backfillPeriod: 0, maxAttempts: 1, jobKey: "drift-scheduler" } },
  // A safety net: events whose job gave up (attempts exhausted) get a job again.
  {
    identifier: "requeue-port-security-events",
    task: "requeue-port-security-events",
    match: "* * * * *",
    options: { backfillPeriod: 0, maxAttempts: 1, jobKey: "requeue-port-security-events" },
  },
  // Like backups, the inventory schedule is a setting (default weekly): checked each minute.
  {
    identifier: "inventory-scheduler",
    task: "inventory-scheduler",
    match: "* * * * *",
    options: { backfillPeriod: 0, maxAttempts: 1, jobKey: "inventory-scheduler" },
  },
  {
    identifier: "prune-inventory-snapshots",
    task: "prune-inventory-snapshots",
    match: "45 4 * * *",
    options: { backfillPeriod: 0, maxAttempts: 3, jobKey: "prune-inventory-snapshots" },
  },
  // Usage metering: yesterday (UTC), each night; a missed night is backfilled (up to 3 days) rather than lost.
  {
    identifier: "collect-usage",
    task: "collect-usage",
    match: "20 1 * * *",
    options: { backfillPeriod: 3 * 86_400_000, maxAttempts: 3, queueName: BILLING_USAGE_QUEUE },
  },
  // The ledger check: after the night's metering, every invoice's lines and payments added up again.
  {
    identifier: "check-billing-ledger",
    task: "check-billing-ledger",
    match: "50 1 * * *",
    options: { backfillPeriod: 0, maxAttempts: 3, queueName: BILLING_USAGE_QUEUE, jobKey: "check-billing-ledger" },
  },
  // The edge collectors: a quarter-hour is fresh enough for a port map and well inside UniFi's login limits (sessions are reused).
  ...(
    [
      ["collect-unifi", "0,15,30,45 * * * *", jobKeys.collectUnifi],
      ["collect-npm", "5,20,35,50 * * * *", jobKeys.collectNpm],
      ["collect-node-networks", "10,25,40,55 * * * *", jobKeys.collectNodeNetworks],
    ] as const
  ).map(([task, match, jobKey]) => ({
    identifier: task,
    task,
    match,
    payload: { trigger: "schedule" },
    options: { backfillPeriod: 0, maxAttempts: 1, queueName: EDGE_QUEUE, jobKey },
  })),
  // Notifications without Prometheus: conditions compared each minute, messages queued as their own jobs.
  {
    identifier: "evaluate-notifications",
    task: "evaluate-notifications",
    match: "* * * * *",
    options: { backfillPeriod: 0, maxAttempts: 1, jobKey: jobKeys.evaluateNotifications },
  },
  // Finished job runs past the retention setting (Jobs page history).
  { identifier: "prune-job-runs", task: "prune-job-runs", match: "40 4 * * *", options: { backfillPeriod: 0, maxAttempts: 3, jobKey: "prune-job-runs" } },
  { identifier: "prune-backups", task: "prune-backups", match: "30 4 * * *", options: { backfillPeriod: 0, maxAttempts: 3, jobKey: "prune-backups" } },
];

export const parsedCronItems = parseCronItems(items);
