import { and, desc, eq, gte, ilike, lt, lte, or, type SQL } from "drizzle-orm";
import { auditLog, type AuditEntry } from "@/drizzle/schema";
import type { Db, DbOrTx, Tx } from "@/server/db/client";
import { escapeLike } from "@/server/db/like";

export interface Actor {
  /** Who did it: an email for people, `system:<name>` for jobs and doors. */
  id: string;
  /** The identity provider and its subject (separation of duties); absent for jobs and doors. */
  issuer?: string;
  subject?: string;
  /** Signed in as the bootstrap admin from the environment. */
  isBreakGlass?: boolean;
  roles?: readonly string[];
}

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  ticketId?: string | null;
}

/**
 * The one helper every write uses. It takes a transaction handle, not the pool, so the audit
 * row commits or rolls back with the change it describes.
 */
export async function writeAudit(tx: Tx, actor: Actor, entry: AuditInput): Promise<AuditEntry> {
  const [row] = await tx
    .insert(auditLog)
    .values({
      actor: actor.id,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
      ticketId: entry.ticketId ?? null,
    })
    .returning();
  if (!row) throw new Error("audit insert returned no row");
  return row;
}

export interface AuditFilter {
  actor?: string;
  entity?: string;
  from?: Date;
  to?: Date;
  /** Keyset paging: the id of the last row of the previous page. */
  beforeId?: number;
  limit: number;
  /**
   * For readers without the finance door (viewers): billing rows keep who/what/when but lose their
   * figures (before/after), so money is read by admins and finance only (issue 25).
   */
  isBillingHidden?: boolean;
}

/** Audit actions that carry billing figures: every `billing.*` action. */
export const isBillingAction = (action: string) => action.startsWith("billing.");

/**
 * The conditions of the log's filters, shared by every reader of the log (the keyset list below and
 * the console's table in queries.ts). `entity` is a type, an id, or `type:id`; `actor` contains.
 */
export function auditWhere(f: { actor?: string; entity?: string; action?: string; from?: Date; to?: Date; q?: string }): Array<SQL | undefined> {
  const where: Array<SQL | undefined> = [];
  if (f.actor) where.push(ilike(auditLog.actor, `%${escapeLike(f.actor)}%`));
  if (f.entity) {
    const [type, id] = f.entity.split(":", 2);
    where.push(id ? and(eq(auditLog.entityType, type!), eq(auditLog.entityId, id))! : or(eq(auditLog.entityType, f.entity), eq(auditLog.entityId, f.entity))!);
  }
  if (f.action) where.push(ilike(auditLog.action, `${escapeLike(f.action)}%`));
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lte(auditLog.at, f.to));
  const q = f.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    where.push(
      or(
        ilike(auditLog.actor, like),
        ilike(auditLog.action, like),
        ilike(auditLog.entityType, like),
        ilike(auditLog.entityId, like),
        ilike(auditLog.ticketId, like),
      ),
    );
  }
  return where;
}

/** What a reader without the finance door sees of an entry. */
export function redactAuditEntry(r: AuditEntry, isBillingHidden: boolean | undefined): AuditEntry {
  return isBillingHidden && isBillingAction(r.action) ? { ...r, before: null, after: { redacted: "billing figures: finance and admins only" } } : r;
}

export async function listAudit(db: DbOrTx, f: AuditFilter): Promise<{ rows: AuditEntry[]; nextBeforeId: number | null }> {
  const where = auditWhere(f);
  if (f.beforeId) where.push(lt(auditLog.id, f.beforeId));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit).map((r) => redactAuditEntry(r, f.isBillingHidden));
  return { rows: page, nextBeforeId: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null };
}

/** Drops audit rows past the retention; the pruning itself is recorded (how many, up to when). */
export async function pruneAudit(db: Db, retentionDays: number): Promise<number> {
  return db.transaction(async (tx) => {
    const cutoff = new Date(Date.now() - retentionDays * 86_400_000);
    const gone = await tx.delete(auditLog).where(lt(auditLog.at, cutoff)).returning({ id: auditLog.id });
    if (gone.length)
      await writeAudit(
        tx,
        { id: "system:prune-audit" },
        { action: "audit.pruned", entityType: "audit_log", entityId: "retention", after: { rows: gone.length, before: cutoff, retentionDays } },
      );
    return gone.length;
  });
}
