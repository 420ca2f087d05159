import { and, desc, eq, sql } from "drizzle-orm";
import { auditLog, pendingChanges, provisioningJobs } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db/client";

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
