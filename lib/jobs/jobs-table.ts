// The Jobs page's two tables as links: finished runs (plain params, so `?task=…&outcome=…` links
// written before the table still open the same runs) and the queue (params `queue.*`).

import { z } from "zod";
import { taskPayloads, type TaskName } from "@/lib/jobs/payloads";
import type { JobRunOutcome } from "@/lib/jobs/runs";
import { defineTableSpec, utcDateParam } from "@/lib/table/url-state";

export const JOB_TASKS = Object.keys(taskPayloads).sort() as [TaskName, ...TaskName[]];
export const JOB_RUN_OUTCOMES = ["succeeded", "retried", "failed"] as const satisfies readonly JobRunOutcome[];
export const JOB_STATES = ["queued", "running", "retrying", "failed"] as const;

export const jobRunsTableSpec = defineTableSpec({
  sortable: ["finished", "task", "outcome", "duration"],
  defaultSort: "finished",
  defaultDir: "desc",
  filters: {
    task: z.enum(JOB_TASKS),
    outcome: z.enum(JOB_RUN_OUTCOMES),
    // Bounds on the run's finish; a bare day (old links: `from=2026-12-05`) is that day's 00:00 UTC.
    from: utcDateParam,
    to: utcDateParam,
  },
  defaultPageSize: 50,
});

export type JobRunsTableSort = (typeof jobRunsTableSpec.sortable)[number];

export const jobQueueTableSpec = defineTableSpec({
  sortable: ["id", "task", "state", "attempts", "runAt"],
  defaultSort: "id",
  defaultDir: "desc",
  filters: {
    state: z.enum(JOB_STATES),
    task: z.enum(JOB_TASKS),
  },
  defaultPageSize: 50,
  paramPrefix: "queue",
});

export type JobQueueTableSort = (typeof jobQueueTableSpec.sortable)[number];
