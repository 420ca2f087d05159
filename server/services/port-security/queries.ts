// Reads of the port-security events list for the console's table: filters, whitelisted sort, a
// page and the total, in Postgres.

import { eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import { portSecurityEvents, switches, type PortSecurityEventRow } from "@/drizzle/schema";
import type { eventTableSpec, EventTableSort } from "@/lib/port-security/event-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import type { DbOrTx } from "@/server/db/client";
import { escapeLike } from "@/server/db/like";
import { listPage, type ListPage, type ListSource } from "@/server/db/list-query";

export interface EventView {
  sort: EventTableSort;
  dir: SortDir;
  q: string;
  filters: FilterValues<(typeof eventTableSpec)["filters"]>;
  page: number;
  pageSize: number;
}

type RawEvent = {
  id: string | number;
  received_at: string | Date;
  action: PortSecurityEventRow["action"];
  server_id: number;
  ip: string | null;
  dedupe_key: string;
  status: PortSecurityEventRow["status"];
  skip_reason: string | null;
  switch_id: number | null;
  interface: string | null;
  job_id: number | null;
  done_at: string | Date | null;
};

const eventSource: ListSource<EventTableSort, RawEvent, PortSecurityEventRow> = {
  select: sql`id, received_at, action, server_id, ip, dedupe_key, status, skip_reason, switch_id, interface, job_id, done_at`,
  from: sql`port_security_events`,
  sortColumns: {
    received: sql`port_security_events.received_at`,
    action: sql`port_security_events.action`,
    server: sql`port_security_events.server_id`,
    ip: sql`port_security_events.ip`,
    status: sql`port_security_events.status`,
    switch: [sql`port_security_events.switch_id`, sql`port_security_events.interface`],
    job: sql`port_security_events.job_id`,
  },
  tiebreaker: sql`port_security_events.id`,
  mapRow: (r) => ({
    id: Number(r.id),
    receivedAt: new Date(r.received_at),
    action: r.action,
    serverId: r.server_id,
    ip: r.ip,
    dedupeKey: r.dedupe_key,
    status: r.status,
    skipReason: r.skip_reason,
    switchId: r.switch_id,
    interface: r.interface,
    jobId: r.job_id,
    doneAt: r.done_at === null ? null : new Date(r.done_at),
  }),
};

function eventWhere(view: Pick<EventView, "q" | "filters">): Array<SQL | undefined> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  return [
    f.server ? eq(portSecurityEvents.serverId, f.server) : undefined,
    f.status ? eq(portSecurityEvents.status, f.status) : undefined,
    f.action ? eq(portSecurityEvents.action, f.action) : undefined,
    f.switch ? eq(portSecurityEvents.switchId, f.switch) : undefined,
    f.from ? gte(portSecurityEvents.receivedAt, f.from) : undefined,
    f.to ? lte(portSecurityEvents.receivedAt, f.to) : undefined,
    q ? or(ilike(portSecurityEvents.ip, like), ilike(portSecurityEvents.interface, like), ilike(portSecurityEvents.skipReason, like)) : undefined,
  ];
}

/** One page of the events table and the count of all events its filters match. */
export function listEventPage(db: DbOrTx, view: EventView): Promise<ListPage<PortSecurityEventRow>> {
  return listPage(db, eventSource, { where: eventWhere(view), sort: view.sort, dir: view.dir, page: view.page, pageSize: view.pageSize });
}

/** The switches, by name, for the events table's switch filter. */
export function listSwitchChoices(db: DbOrTx): Promise<Array<{ id: number; name: string }>> {
  return db.select({ id: switches.id, name: switches.name }).from(switches).orderBy(switches.name, switches.id).limit(1_000);
}
