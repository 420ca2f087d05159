import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { processServerEvents } from "@/server/services/port-security/processing";
import { resolveOutsideSystems, type TaskDeps } from "../task-deps";

/** Handles every received event of one server; idempotent (handled events are no longer "received"). */
export function createPortSecurityEventTask(deps: TaskDeps): Task {
  return async (payload) => {
    const { serverId } = taskPayloads["port-security-event"].parse(payload);
    await processServerEvents(deps.db, await resolveOutsideSystems(deps), serverId);
  };
}
