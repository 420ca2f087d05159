import type { TaskList } from "graphile-worker";
import type { TaskName } from "@/lib/jobs/payloads";
import type { TaskDeps } from "./task-deps";
import { createHeartbeatTask } from "./tasks/heartbeat";
import { createReconcileSwitchTask } from "./tasks/reconcile-switch";

/** The one task list. Keyed by TaskName so a payload schema without a task fails to compile. */
export function createTaskList(deps: TaskDeps): TaskList & Record<TaskName, unknown> {
  return {
    heartbeat: createHeartbeatTask(deps),
    "reconcile-switch": createReconcileSwitchTask(deps),
  };
}
