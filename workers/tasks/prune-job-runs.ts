import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { pruneJobRuns } from "@/server/services/platform/job-runs";
import { getSettings } from "@/server/services/platform/settings";
import type { TaskDeps } from "../task-deps";

/** Daily: finished job runs older than the retention setting leave the Jobs page's history. */
export function createPruneJobRunsTask(deps: TaskDeps): Task {
  return async (payload) => {
    taskPayloads["prune-job-runs"].parse(payload);
    const { jobRunRetentionDays } = await getSettings(deps.db);
    await pruneJobRuns(deps.db, jobRunRetentionDays);
  };
}
