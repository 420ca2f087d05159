import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { requeueWaitingEvents } from "@/server/services/port-security/events";
import type { TaskDeps } from "../task-deps";

/** Every minute: servers whose events have waited over a minute get their job again. */
export function createRequeuePortSecurityEventsTask(deps: TaskDeps): Task {
  return async (payload) => {
    taskPayloads["requeue-port-security-events"].parse(payload);
    await requeueWaitingEvents(deps.db);
  };
}
