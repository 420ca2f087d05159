import { sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "./audit";

export type JobState = "queued" | "running" | "retrying" | "failed";

export interface JobRow {
  id: number;
  task: string;
  queue: string | null;
  key: string | null;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: Date;
  lockedAt: Date | null;
  lockedBy: string | null;
  createdAt: Date;
}

// graphile-worker treats a lock older than 4 hours as abandoned; so do we when naming the state.
const STATE = sql`case
  when j.locked_at is not null and j.locked_at > now() - interval '4 hours' then 'running'
  when j.attempts >= j.max_attempts then 'failed'
  when j.attempts > 0 then 'retrying'
  else 'queued' end`;

export const SELECT_JOBS = sql`
  select j.id, j.task_identifier, j.queue_name, j.key, ${STATE} as state, j.attempts, j.max_attempts,
         j.last_error, j.run_at, j.locked_at, j.locked_by, j.created_at
  from graphile_worker.jobs j`;

export async function listJobs(db: DbOrTx, f: { state?: JobState; limit: number }): Promise<JobRow[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select * from (${SELECT_JOBS}) s
    where ${f.state ?? null}::text is null or s.state = ${f.state ?? null}
    order by s.id desc limit ${f.limit}`);
  return rows.map(toJobRow);
}

export async function countJobsByState(db: DbOrTx): Promise<Record<JobState, number>> {
  const rows = await db.execute<{ state: JobState; n: string }>(sql`
    select ${STATE} as state, count(*) as n from graphile_worker.jobs j group by 1`);
  const out: Record<JobState, number> = { queued: 0, running: 0, retrying: 0, failed: 0 };
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}

/** Runs a failed or waiting job again now, from attempt 0; audited in the same transaction. */
export async function retryJob(db: DbOrTx, actor: Actor, jobId: number): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const before = await findJob(tx, jobId);
    if (!before) throw new AppError("NOT_FOUND", `job ${jobId} does not exist (it may have completed)`);
    if (before.state === "running") throw new AppError("CONFLICT", `job ${jobId} is running now; wait for it to finish`);
    await tx.execute(sql`select graphile_worker.reschedule_jobs(array[${jobId}::bigint], run_at => now(), attempts => 0)`);
    const after = await findJob(tx, jobId);
    if (!after) throw new AppError("NOT_FOUND", `job ${jobId} vanished while retrying`);
    await writeAudit(tx, actor, {
      action: "job.retry",
      entityType: "job",
      entityId: String(jobId),
      before: { state: before.state, attempts: before.attempts, lastError: before.lastError },
      after: { state: after.state, attempts: after.attempts, runAt: after.runAt },
    });
    return after;
  });
}

async function findJob(db: DbOrTx, id: number): Promise<JobRow | undefined> {
  const rows = await db.execute<Record<string, unknown>>(sql`
select * from (${SELECT_JOBS}) s where s.id = ${id}`);
  return rows[0] ? toJobRow(rows[0]) : undefined;
}

export function toJobRow(r: Record<string, unknown>): JobRow {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: Number(r.id),
    task: String(r.task_identifier),
    queue: (r.queue_name as string | null) ?? null,
    key: (r.key as string | null) ?? null,
    state: r.state as JobState,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    lastError: (r.last_error as string | null) ?? null,
    runAt: date(r.run_at)!,
    lockedAt: date(r.locked_at),
    lockedBy: (r.locked_by as string | null) ?? null,
    createdAt: date(r.created_at)!,
  };
}
