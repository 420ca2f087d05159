// Reads of the audit log for the console's table: the same filter conditions as every other reader
// of the log (auditWhere), sorted through the table's whitelist, paged with a total.

import { sql } from "drizzle-orm";
import type { AuditEntry } from "@/drizzle/schema";
import type { auditTableSpec, AuditTableSort } from "@/lib/audit/audit-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import type { DbOrTx } from "@/server/db/client";
import { listPage, type ListPage, type ListSource } from "@/server/db/list-query";
import { auditWhere, redactAuditEntry } from "./audit";

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
