import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { isCronDue } from "@/lib/settings/cron";
import { enqueueInventoryCollection } from "@/server/services/inventory/jobs";
import { getSettings } from "@/server/services/platform/settings";
import type { TaskDeps } from "../task-deps";

/** Each minute: when the settings' inventory schedule fires, queue one collection. */
export function createInventorySchedulerTask(deps: TaskDeps): Task {
  return async (payload) => {
    const { _cron } = taskPayloads["inventory-scheduler"].parse(payload);
    const { inventorySchedule } = await getSettings(deps.db);
    if (!isCronDue(inventorySchedule, new Date(_cron.ts))) return;
    await enqueueInventoryCollection(deps.db, "schedule");
  };
}
