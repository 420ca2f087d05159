import { eq, gte, lte, sql } from "drizzle-orm";
import { jobRuns, type AuditEntry, type JobRunRow } from "@/drizzle/schema";
import type { auditTableSpec, AuditTableSort } from "@/lib/audit/audit-table";
import type { JobQueueTableSort, jobQueueTableSpec, JobRunsTableSort, jobRunsTableSpec } from "@/lib/jobs/jobs-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import type { DbOrTx } from "@/server/db/client";
import { iterateList, listPage, type ListPage, type ListSource } from "@/server/db/list-query";
import type { CsvCell } from "@/lib/csv/format-csv";
import { streamCsv } from "@/lib/csv/stream-csv";
import { auditWhere, redactAuditEntry } from "./audit";
import { SELECT_JOBS, toJobRow, type JobRow } from "./jobs";
import { describeRunEvidence, type JobRunOutcome } from "@/lib/jobs/runs";

// Reads of the audit log for the console's table: the same filter conditions as every other reader
// of the log (auditWhere), sorted through the table's whitelist, paged with a total; and the Jobs
// page's finished runs and queue.

export interface AuditView {
  sort: AuditTableSort;
  dir: SortDir;
  q: string;
  filters: FilterValues<(typeof auditTableSpec)["filters"]>;
  page: number;
  pageSize: number;
  /** For readers without the finance door: billing entries lose their figures. */
  isBillingHidden: boolean;
}

type RawAudit = {
  id: string | number;
  at: string | Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  ticket_id: string | null;
};

const auditSource = (isBillingHidden: boolean): ListSource<AuditTableSort, RawAudit, AuditEntry> => ({
  select: sql`id, at, actor, action, entity_type, entity_id, before, after, ticket_id`,
  from: sql`audit_log`,
  sortColumns: {
    at: sql`audit_log.at`,
    actor: sql`audit_log.actor`,
    action: sql`audit_log.action`,
    entity: [sql`audit_log.entity_type`, sql`audit_log.entity_id`],
    ticket: sql`audit_log.ticket_id`,
  },
  tiebreaker: sql`audit_log.id`,
  mapRow: (r) =>
    redactAuditEntry(
      {
        id: Number(r.id),
        at: new Date(r.at),
        actor: r.actor,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: r.before,
        after: r.after,
        ticketId: r.ticket_id,
      },
      isBillingHidden,
    ),
});

/** One page of the audit table and the count of all entries its filters match. */
export function listAuditPage(db: DbOrTx, view: AuditView): Promise<ListPage<AuditEntry>> {
  return listPage(db, auditSource(view.isBillingHidden), {
    where: auditWhere({ ...view.filters, q: view.q }),
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}

/** Every entry of the audit table's filtered, sorted view (all pages, uncounted), for its CSV. */
export function iterateAuditView(db: DbOrTx, view: Omit<AuditView, "page" | "pageSize">): AsyncGenerator<AuditEntry[]> {
  return iterateList(db, auditSource(view.isBillingHidden), { where: auditWhere({ ...view.filters, q: view.q }), sort: view.sort, dir: view.dir });
}

export const AUDIT_CSV_COLUMNS = ["id", "at", "actor", "action", "entity_type", "entity_id", "ticket_id", "before", "after"] as const;

/** The audit view as CSV: instants in ISO 8601 with Z, before/after as JSON (redacted as the table shows them). */
export async function* streamAuditCsv(batches: AsyncGenerator<AuditEntry[]>): AsyncGenerator<string> {
  async function* cells(): AsyncGenerator<CsvCell[][]> {
    for await (const rows of batches)
      yield rows.map((r) => [
        r.id,
        r.at.toISOString(),
        r.actor,
        r.action,
        r.entityType,
        r.entityId ?? "",
        r.ticketId ?? "",
        r.before == null ? "" : JSON.stringify(r.before),
        r.after == null ? "" : JSON.stringify(r.after),
      ]);
  }
  yield* streamCsv(AUDIT_CSV_COLUMNS, cells());
}

type RawJobRun = {
  id: string | number;
  job_id: string | number;
  task: string;
  queue: string | null;
  attempt: number;
  max_attempts: number;
  outcome: JobRunOutcome;
  started_at: string | Date;
  finished_at: string | Date;
  duration_ms: number;
  trigger_kind: JobRunRow["triggerKind"];
  trigger_ref: string | null;
  evidence_kind: string | null;
  evidence_id: string | null;
  error: string | null;
  worker_id: string | null;
};

export type JobRunView = JobRunRow & { evidence: { label: string; href: string | null } | null };

const jobRunsSource: ListSource<JobRunsTableSort, RawJobRun, JobRunView> = {
  select: sql`id, job_id, task, queue, attempt, max_attempts, outcome, started_at, finished_at, duration_ms, trigger_kind, trigger_ref,
              evidence_kind, evidence_id, error, worker_id`,
  from: sql`job_runs`,
  // finished and task/outcome ride the (finished_at desc, id desc) and (task|outcome, finished_at) indexes.
  sortColumns: {
    finished: sql`job_runs.finished_at`,
    task: [sql`job_runs.task`, sql`job_runs.finished_at`],
    outcome: [sql`job_runs.outcome`, sql`job_runs.finished_at`],
    duration: sql`job_runs.duration_ms`,
  },
  tiebreaker: sql`job_runs.id`,
  mapRow: (r) => ({
    id: Number(r.id),
    jobId: Number(r.job_id),
    task: r.task,
    queue: r.queue,
    attempt: r.attempt,
    maxAttempts: r.max_attempts,
    outcome: r.outcome,
    startedAt: new Date(r.started_at),
    finishedAt: new Date(r.finished_at),
    durationMs: r.duration_ms,
    triggerKind: r.trigger_kind,
    triggerRef: r.trigger_ref,
    evidenceKind: r.evidence_kind,
    evidenceId: r.evidence_id,
    error: r.error,
    workerId: r.worker_id,
    evidence: r.evidence_kind && r.evidence_id ? describeRunEvidence({ kind: r.evidence_kind, id: r.evidence_id }) : null,
  }),
};

export interface JobRunsView {
  sort: JobRunsTableSort;
  dir: SortDir;
  filters: FilterValues<(typeof jobRunsTableSpec)["filters"]>;
  page: number;
  pageSize: number;
}

/** One page of finished job runs (filtered by task, outcome and a finish range) and the total they match. */
export function listJobRunsPage(db: DbOrTx, view: JobRunsView): Promise<ListPage<JobRunView>> {
  const f = view.filters;
  return listPage(db, jobRunsSource, {
    where: [
      f.task ? eq(jobRuns.task, f.task) : undefined,
      f.outcome ? eq(jobRuns.outcome, f.outcome) : undefined,
      f.from ? gte(jobRuns.finishedAt, f.from) : undefined,
      f.to ? lte(jobRuns.finishedAt, f.to) : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}

type RawJob = Record<string, unknown>;

const jobQueueSource: ListSource<JobQueueTableSort, RawJob, JobRow> = {
  select: sql`*`,
  from: sql`(${SELECT_JOBS}) q`,
  sortColumns: { id: sql`q.id`, task: sql`q.task_identifier`, state: sql`q.state`, attempts: sql`q.attempts`, runAt: sql`q.run_at` },
  tiebreaker: sql`q.id`,
  mapRow: toJobRow,
};

export interface JobQueueView {
  sort: JobQueueTableSort;
  dir: SortDir;
  filters: FilterValues<(typeof jobQueueTableSpec)["filters"]>;
  page: number;
  pageSize: number;
}

/** One page of graphile-worker's queue (jobs not yet done), with the state named as everywhere else. */
export function listJobQueuePage(db: DbOrTx, view: JobQueueView): Promise<ListPage<JobRow>> {
  const f = view.filters;
  return listPage(db, jobQueueSource, {
    where: [f.state ? sql`q.state = ${f.state}` : undefined, f.task ? sql`q.task_identifier = ${f.task}` : undefined],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}
