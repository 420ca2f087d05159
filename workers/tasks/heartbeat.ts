import os from "node:os";
import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { recordHeartbeat } from "@/server/services/platform/workers";
import type { TaskDeps } from "../task-deps";

/** Proves the job path end to end: cron → queue → this task → a row the health check reads. */
export function createHeartbeatTask({ db }: TaskDeps): Task {
  return async (payload, helpers) => {
    taskPayloads.heartbeat.parse(payload);
    await recordHeartbeat(db, { workerId: helpers.job.locked_by ?? "unknown", hostname: os.hostname(), pid: process.pid });
  };
}
