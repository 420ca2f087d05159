import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { expireQuotes } from "@/server/services/billing/quotes";
import type { TaskDeps } from "../task-deps";

const SYSTEM = { id: "system:expire-quotes" };

/** Nightly: draft and sent quotes past their last valid day (UTC) become expired, audited (issue 25). */
export function createExpireQuotesTask({ db }: TaskDeps, now: () => Date = () => new Date()): Task {
  return async (payload, helpers) => {
    taskPayloads["expire-quotes"].parse(payload);
    const expired = await expireQuotes(db, SYSTEM, { now });
    if (expired.length) helpers.logger.info(`billing: ${expired.length} quote(s) expired`);
  };
}
