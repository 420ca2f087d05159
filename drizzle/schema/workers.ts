import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Written by the heartbeat task: proof that the whole job path (cron → queue → task → db) works.
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull().defaultNow(),
});

export type WorkerHeartbeat = typeof workerHeartbeats.$inferSelect;

/** Each live graphile worker's id, renewed every 15 s, so jobs locked by a dead worker can be freed. */
export const workerProcesses = pgTable("worker_processes", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull().defaultNow(),
});

export const JOB_RUN_OUTCOMES = ["succeeded", "failed", "retried"] as const;
export const JOB_RUN_TRIGGERS = ["schedule", "user", "webhook", "job", "system"] as const;

/**
 * One row per finished attempt of a job (graphile-worker deletes a job once it completes): what
 * ran, how it ended, how long it took, what started it and where its evidence is. Written by the
 * worker after the task, outside any transaction of the task's; pruned after the retention setting.
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: bigint("job_id", { mode: "number" }).notNull(),
    task: text("task").notNull(),
    queue: text("queue"),
    attempt: integer("attempt").notNull(),
    maxAttempts: integer("max_attempts").notNull(),
    outcome: text("outcome", { enum: JOB_RUN_OUTCOMES }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    triggerKind: text("trigger_kind", { enum: JOB_RUN_TRIGGERS }).notNull(),
    /** The schedule's name, the user, the webhook event or the job that queued this one. */
    triggerRef: text("trigger_ref"),
    /** What the run produced, where it has a page: a backup, a push, a collection, a provisioning job, an invoice. */
    evidenceKind: text("evidence_kind"),
    evidenceId: text("evidence_id"),
    error: text("error"),
    workerId: text("worker_id"),
  },
  (t) => [
    check("job_runs_outcome_check", sql`${t.outcome} in ('succeeded', 'failed', 'retried')`),
    check("job_runs_trigger_check", sql`${t.triggerKind} in ('schedule', 'user', 'webhook', 'job', 'system')`),
    check("job_runs_duration_check", sql`${t.durationMs} >= 0 and ${t.finishedAt} >= ${t.startedAt}`),
    check("job_runs_error_check", sql`(${t.outcome} = 'succeeded') = (${t.error} is null)`),
    index("job_runs_finished_idx").on(t.finishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("job_runs_task_finished_idx").on(t.task, t.finishedAt.desc().nullsFirst()),
    index("job_runs_outcome_finished_idx").on(t.outcome, t.finishedAt.desc().nullsFirst()),
  ],
);

export type JobRunRow = typeof jobRuns.$inferSelect;
export type NewJobRun = typeof jobRuns.$inferInsert;

/** Which job queued a job, written with the job (same transaction) when a task queues another. */
export const jobOrigins = pgTable("job_origins", {
  jobId: bigint("job_id", { mode: "number" }).primaryKey(),
  parentJobId: bigint("parent_job_id", { mode: "number" }).notNull(),
  parentTask: text("parent_task").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
