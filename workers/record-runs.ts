import type { Task, TaskList } from "graphile-worker";
import { findPayloadEvidence } from "@/lib/jobs/runs";
import type { Db } from "@/server/db/client";
import { runInJobContext, type JobRunContext } from "@/server/jobs/run-context";
import { getLogger } from "@/server/logger";
import { recordJobRun } from "@/server/services/platform/job-runs";

/**
 * Every task, with its run recorded in job_runs once it has returned or thrown (graphile-worker
 * deletes a completed job, so this is the only trace of finished work). The task runs in a job
 * context: jobs it queues name it as their origin, and it may note the evidence it produced.
 * Recording is best effort and never changes the job's outcome: a run the database could not take
 * (it is away) is logged instead.
 */
export function recordRuns(list: TaskList, db: Db): TaskList {
  const out: TaskList = {};
  for (const [name, task] of Object.entries(list) as Array<[string, Task]>) {
    out[name] = async (payload, helpers) => {
      const { job } = helpers;
      const context: JobRunContext = { jobId: Number(job.id), task: name };
      const startedAt = new Date();
      let hasThrown = false;
      let error: unknown;
      try {
        return await runInJobContext(context, () => task(payload, helpers));
      } catch (e) {
        hasThrown = true;
        error = e;
        throw e;
      } finally {
        await recordJobRun(db, {
          jobId: context.jobId,
          task: name,
          payload,
          attempt: job.attempts,
          maxAttempts: job.max_attempts,
          startedAt,
          finishedAt: new Date(),
          hasThrown,
          error,
          evidence: context.evidence ?? findPayloadEvidence(name, payload),
          workerId: job.locked_by,
        }).catch((e: unknown) => getLogger().warn({ err: e, jobId: context.jobId, task: name }, "the job's run could not be recorded"));
      }
    };
  }
  return out;
}
