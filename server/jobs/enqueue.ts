import { sql } from "drizzle-orm";
import { taskPayloads, type TaskName, type TaskPayload } from "@/lib/jobs/payloads";
import type { DbOrTx } from "@/server/db/client";
import { getJobContext } from "./run-context";

// graphile-worker's default of 25 attempts keeps retrying for days; a push wants a few, then a visible failure.
export const DEFAULT_MAX_ATTEMPTS = 5;

export interface EnqueueOptions {
  /** Jobs of one queue run one at a time: one per switch, never one per job. */
  queueName?: string;
  /** A burst of adds with one key becomes one job. */
  jobKey?: string;
  maxAttempts?: number;
  runAt?: Date;
  /** `preserve_run_at` throttles: later adds with the key join the job without postponing it. */
  jobKeyMode?: "replace" | "preserve_run_at";
}

/**
 * Adds a job through graphile-worker's SQL API on the caller's connection, so a job enqueued
 * inside a transaction exists exactly when the state change that asked for it commits.
 */
export async function enqueueJob<T extends TaskName>(db: DbOrTx, task: T, payload: TaskPayload<T>, opts: EnqueueOptions = {}): Promise<number> {
  const parsed = taskPayloads[task].parse(payload);
  const rows = await db.execute<{ id: string }>(sql`
    select (graphile_worker.add_job(
      ${task}, ${JSON.stringify(parsed)}::json,
      queue_name => ${opts.queueName ?? null}::text,
      run_at => ${opts.runAt?.toISOString() ?? null}::timestamptz,
      max_attempts => ${opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}::int,
      job_key => ${opts.jobKey ?? null}::text,
      job_key_mode => ${opts.jobKeyMode ?? "replace"}::text
    )).id as id`);
  const id = Number(rows[0]?.id);
  // Queued by a running task: the new job names its parent (same transaction as the job), for the Jobs page.
  const parent = getJobContext();
  if (parent && parent.jobId !== id) {
    await db.execute(sql`
      insert into job_origins (job_id, parent_job_id, parent_task) values (${id}, ${parent.jobId}, ${parent.task})
      on conflict (job_id) do update set parent_job_id = excluded.parent_job_id, parent_task = excluded.parent_task, created_at = now()`);
  }
  return id;
}
