import { and, count, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { jobRuns, JOB_RUN_OUTCOMES } from "@/drizzle/schema";
import { describeRunEvidence, type JobRunOutcome } from "@/lib/jobs/runs";
import type { DbOrTx } from "@/server/db/client";
import type { AuditEntry } from "@/drizzle/schema";
import type { auditTableSpec, AuditTableSort } from "@/lib/audit/audit-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import { listPage, type ListPage, type ListSource } from "@/server/db/list-query";
import { auditWhere, redactAuditEntry } from "./audit";

export interface JobRunFilters {
  task?: string;
  outcome?: JobRunOutcome;
  /** UTC days, inclusive (YYYY-MM-DD), on the run's finish. */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export { JOB_RUN_OUTCOMES };

/** Finished job runs, newest first, filtered, one page of them and the total the filters match. */
export async function listJobRuns(db: DbOrTx, f: JobRunFilters) {
  const where: SQL[] = [];
  if (f.task) where.push(eq(jobRuns.task, f.task));
  if (f.outcome) where.push(eq(jobRuns.outcome, f.outcome));
  if (f.from) where.push(gte(jobRuns.finishedAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) where.push(lt(jobRuns.finishedAt, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)));
  const filter = where.length ? and(...where) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(jobRuns)
      .where(filter)
      .orderBy(desc(jobRuns.finishedAt), desc(jobRuns.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: count() }).from(jobRuns).where(filter),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, evidence: r.evidenceKind && r.evidenceId ? describeRunEvidence({ kind: r.evidenceKind, id: r.evidenceId }) : null })),
    total: total?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export type JobRunView = Awaited<ReturnType<typeof listJobRuns>>["rows"][number];

// Reads of the audit log for the console's table: the same filter conditions as every other reader
// of the log (auditWhere), sorted through the table's whitelist, paged with a total.

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
