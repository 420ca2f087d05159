import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { evaluateNotifications } from "@/server/services/observability/notifications";
import type { TaskDeps } from "../task-deps";

/** Each minute: which conditions started or cleared since the last run; their messages are queued as jobs of their own. */
export function createEvaluateNotificationsTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    taskPayloads["evaluate-notifications"].parse(payload);
    const { started, cleared } = await evaluateNotifications(deps.db);
    if (started.length || cleared.length) helpers.logger.info(`notifications: ${started.length} started, ${cleared.length} cleared`);
  };
}
