import { parseCronItems, type CronItem } from "graphile-worker";
import type { TaskName } from "@/lib/jobs/payloads";

// The one crontab. Identifiers are stable: graphile-worker tracks last runs by them.
const items: Array<CronItem & { task: TaskName }> = [
  { identifier: "heartbeat", task: "heartbeat", match: "* * * * *", payload: { reason: "cron" }, options: { backfillPeriod: 0, maxAttempts: 1, jobKey: "heartbeat" } },
];

export const parsedCronItems = parseCronItems(items);
