import { and, desc, eq, gte, ilike, lte, or, sql } from "drizzle-orm";
import { auditLog, pendingChanges, provisioningJobs, type ProvisioningJobRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import type { JobTableSort, jobTableSpec } from "@/lib/provisioning/job-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import type { DbOrTx } from "@/server/db/client";
import { escapeLike } from "@/server/db/like";
import { listPage, type ListPage, type ListSource } from "@/server/db/list-query";

/** The queue, newest first (the console's list; the plan and logs are read per job). */
export function listProvisioningJobs(db: DbOrTx, limit = 100) {
  return db
    .select({
      id: provisioningJobs.id,
      correlationId: provisioningJobs.correlationId,
      kind: provisioningJobs.kind,
      status: provisioningJobs.status,
      node: provisioningJobs.node,
      vmid: provisioningJobs.vmid,
      address: provisioningJobs.address,
      ticketId: provisioningJobs.ticketId,
      summary: sql<string>`${provisioningJobs.plan}->>'summary'`,
      requestedBy: provisioningJobs.requestedBy,
      requestedAt: provisioningJobs.requestedAt,
      approvedBy: provisioningJobs.approvedBy,
      error: provisioningJobs.error,
      callsSent: provisioningJobs.callsSent,
      callCount: sql<number>`jsonb_array_length(${provisioningJobs.plan}->'calls')`,
    })
    .from(provisioningJobs)
    .orderBy(desc(provisioningJobs.id))
    .limit(limit);
}

/** One job whole: plan, calls, UPIDs with their logs, its approvals and its audit trail. */
export async function getProvisioningJob(db: DbOrTx, id: number) {
  const [job] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, id));
  if (!job) throw new AppError("NOT_FOUND", `provisioning job ${id} does not exist`);
  const approvals = await db
    .select()
    .from(pendingChanges)
    .where(and(eq(pendingChanges.kind, "provisioning"), sql`(${pendingChanges.payload}->>'jobId')::bigint = ${id}`))
    .orderBy(desc(pendingChanges.id));
  const audit = await db
    .select()
    .from(auditLog)
    .where(
      sql`(${auditLog.entityType} = 'provisioning_job' and ${auditLog.entityId} = ${String(id)}) or ${auditLog.after}->>'correlationId' = ${job.correlationId}`,
    )
    .orderBy(desc(auditLog.id))
    .limit(100);
  return { job, approvals, audit };
}

export interface JobListRow {
  id: number;
  kind: ProvisioningJobRow["kind"];
  status: ProvisioningJobRow["status"];
  node: string;
  vmid: number | null;
  address: string | null;
  ticketId: string;
  summary: string | null;
  requestedBy: string;
  requestedAt: Date;
  approvedBy: string | null;
  error: string | null;
  callsSent: number;
  callCount: number;
}

type RawJob = {
  id: string | number;
  kind: ProvisioningJobRow["kind"];
  status: ProvisioningJobRow["status"];
  node: string;
  vmid: number | null;
  address: string | null;
  ticket_id: string;
  summary: string | null;
  requested_by: string;
  requested_at: string | Date;
  approved_by: string | null;
  error: string | null;
  calls_sent: number;
  call_count: number | null;
};

// The same columns as listProvisioningJobs, for the console's paged, sortable table.
const jobSource: ListSource<JobTableSort, RawJob, JobListRow> = {
  select: sql`id, kind, status, node, vmid, address, ticket_id, plan->>'summary' as summary, requested_by, requested_at, approved_by, error, calls_sent,
    jsonb_array_length(plan->'calls') as call_count`,
  from: sql`provisioning_jobs`,
  sortColumns: {
    id: sql`provisioning_jobs.id`,
    asked: sql`provisioning_jobs.requested_at`,
    kind: sql`provisioning_jobs.kind`,
    node: [sql`provisioning_jobs.node`, sql`provisioning_jobs.vmid`],
    ticket: sql`provisioning_jobs.ticket_id`,
    status: sql`provisioning_jobs.status`,
  },
  tiebreaker: sql`provisioning_jobs.id`,
  mapRow: (r) => ({
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    node: r.node,
    vmid: r.vmid,
    address: r.address,
    ticketId: r.ticket_id,
    summary: r.summary,
    requestedBy: r.requested_by,
    requestedAt: new Date(r.requested_at),
    approvedBy: r.approved_by,
    error: r.error,
    callsSent: r.calls_sent,
    callCount: r.call_count ?? 0,
  }),
};

export interface JobTableView {
  sort: JobTableSort;
  dir: SortDir;
  q: string;
  filters: FilterValues<(typeof jobTableSpec)["filters"]>;
  page: number;
  pageSize: number;
}

/** One page of the provisioning queue and how many jobs its filters match. */
export function listJobPage(db: DbOrTx, view: JobTableView): Promise<ListPage<JobListRow>> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  return listPage(db, jobSource, {
    where: [
      f.status ? eq(provisioningJobs.status, f.status) : undefined,
      f.kind ? eq(provisioningJobs.kind, f.kind) : undefined,
      f.node ? ilike(provisioningJobs.node, `%${escapeLike(f.node)}%`) : undefined,
      f.by ? ilike(provisioningJobs.requestedBy, `%${escapeLike(f.by)}%`) : undefined,
      f.from ? gte(provisioningJobs.requestedAt, f.from) : undefined,
      f.to ? lte(provisioningJobs.requestedAt, f.to) : undefined,
      q
        ? or(
            sql`${provisioningJobs.plan}->>'summary' ilike ${like}`,
            ilike(provisioningJobs.ticketId, like),
            ilike(provisioningJobs.address, like),
            ilike(provisioningJobs.node, like),
            sql`${provisioningJobs.vmid}::text = ${q}`,
          )
        : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}
