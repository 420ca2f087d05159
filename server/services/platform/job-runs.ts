import { lt, sql } from "drizzle-orm";
import { jobOrigins, jobRuns } from "@/drizzle/schema";
import { computeRunCutoff, findRunOutcome, findRunTrigger, type JobRunEvidence } from "@/lib/jobs/runs";
import type { Db } from "@/server/db/client";
import { writeAudit } from "./audit";

export interface FinishedAttempt {
  jobId: number;
  task: string;
  payload: unknown;
  attempt: number;
  maxAttempts: number;
  startedAt: Date;
  finishedAt: Date;
  error: unknown;
  hasThrown: boolean;
  evidence?: JobRunEvidence;
  workerId: string | null;
}

/**
 * Records one finished attempt of a job. Called by the worker after the task has returned or
 * thrown, outside any transaction (the task's network calls are over). The job is still in
 * graphile's table here (it is marked complete after this): its queue is read from there, the job
 * that queued it from job_origins, and the person from the audit row of the transaction that
 * queued it (an audit row and a job written in one transaction share its now(), to the microsecond).
 */
export async function recordJobRun(db: Db, a: FinishedAttempt): Promise<void> {
  const [facts] = await db.execute<{ queue_name: string | null; parent_job_id: string | null; parent_task: string | null; actor: string | null }>(sql`
    select j.queue_name, o.parent_job_id, o.parent_task,
           (select l.actor from audit_log l where l.at = j.created_at order by l.id limit 1) as actor
    from (select 1) one
    left join graphile_worker.jobs j on j.id = ${a.jobId}
    left join job_origins o on o.job_id = ${a.jobId}`);
  const trigger = findRunTrigger({
    task: a.task,
    payload: a.payload,
    parent: facts?.parent_job_id ? { jobId: Number(facts.parent_job_id), task: facts.parent_task! } : null,
    auditActor: facts?.actor ?? null,
  });
  const outcome = findRunOutcome(a.hasThrown, a.attempt, a.maxAttempts);
  await db.insert(jobRuns).values({
    jobId: a.jobId,
    task: a.task,
    queue: facts?.queue_name ?? null,
    attempt: a.attempt,
    maxAttempts: a.maxAttempts,
    outcome,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
    durationMs: Math.max(0, a.finishedAt.getTime() - a.startedAt.getTime()),
    triggerKind: trigger.kind,
    triggerRef: trigger.ref,
    evidenceKind: a.evidence?.kind ?? null,
    evidenceId: a.evidence?.id ?? null,
    error: outcome === "succeeded" ? null : describeError(a.error),
    workerId: a.workerId,
  });
}

function describeError(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return (text || "failed without a message").slice(0, 4000);
}

/** Deletes runs (and job origins) older than the retention; a prune that removed rows is audited. */
export async function pruneJobRuns(db: Db, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = computeRunCutoff(now, retentionDays);
  return db.transaction(async (tx) => {
    const gone = await tx.delete(jobRuns).where(lt(jobRuns.finishedAt, cutoff)).returning({ id: jobRuns.id });
    await tx.delete(jobOrigins).where(lt(jobOrigins.createdAt, cutoff));
    if (gone.length)
      await writeAudit(
        tx,
        { id: "system:prune-job-runs" },
        { action: "job_runs.pruned", entityType: "job_runs", entityId: "retention", after: { rows: gone.length, before: cutoff, retentionDays } },
      );
    return gone.length;
  });
}
