import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { deliverNotification } from "@/server/services/observability/notifications";
import type { TaskDeps } from "../task-deps";

/** Sends one message to one receiver; a failure throws, and graphile-worker retries it with exponential backoff. */
export function createDeliverNotificationTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { deliveryId } = taskPayloads["deliver-notification"].parse(payload);
    const { attempts, max_attempts: maxAttempts } = helpers.job;
    await deliverNotification(deps.db, deps.secretsKey, deliveryId, { number: attempts, isLast: attempts >= maxAttempts });
  };
}
