// Reads of the port-security events list for the console's table: filters, whitelisted sort, a
// page and the total, in Postgres.

import { eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import { portSecurityEvents, switches, type PortSecurityEventRow } from "@/drizzle/schema";
import type { eventTableSpec, EventTableSort } from "@/lib/port-security/event-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import type { DbOrTx } from "@/server/db/client";
import { escapeLike } from "@/server/db/like";
import { iterateList, listPage, type ListPage, type ListSource } from "@/server/db/list-query";
import type { CsvCell } from "@/lib/csv/format-csv";
import { streamCsv } from "@/lib/csv/stream-csv";
import { vmacEvents, vmacs, type VmacEventRow, type VmacRow } from "@/drizzle/schema";
import type { VmacEventTableSort, vmacEventTableSpec, VmacTableSort, vmacTableSpec } from "@/lib/port-security/vmac-table";

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

export const EVENT_CSV_COLUMNS = [
  "id",
  "received_at",
  "action",
  "server_id",
  "ip",
  "status",
  "skip_reason",
  "switch_id",
  "interface",
  "job_id",
  "done_at",
] as const;

/** The events table's filtered, sorted view as CSV, every page: instants in ISO 8601 with Z. */
export async function* streamEventCsv(db: DbOrTx, view: Omit<EventView, "page" | "pageSize">): AsyncGenerator<string> {
  async function* cells(): AsyncGenerator<CsvCell[][]> {
    for await (const rows of iterateList(db, eventSource, { where: eventWhere(view), sort: view.sort, dir: view.dir }))
      yield rows.map((e) => [
        e.id,
        e.receivedAt.toISOString(),
        e.action,
        e.serverId,
        e.ip ?? "",
        e.status,
        e.skipReason ?? "",
        e.switchId ?? "",
        e.interface ?? "",
        e.jobId ?? "",
        e.doneAt?.toISOString() ?? "",
      ]);
  }
  yield* streamCsv(EVENT_CSV_COLUMNS, cells());
}

/** The switches, by name, for the events table's switch filter. */
export function listSwitchChoices(db: DbOrTx): Promise<Array<{ id: number; name: string }>> {
  return db.select({ id: switches.id, name: switches.name }).from(switches).orderBy(switches.name, switches.id).limit(1_000);
}

// ---- Virtual MACs and their events, for the /it/virtual-macs tables.

export interface VmacView {
  sort: VmacTableSort;
  dir: SortDir;
  q: string;
  filters: FilterValues<(typeof vmacTableSpec)["filters"]>;
  page: number;
  pageSize: number;
}

type RawVmac = { ip: string; mac: string; server_id: number; created_at: string | Date; released_at: string | Date | null };

const vmacSource: ListSource<VmacTableSort, RawVmac, VmacRow> = {
  select: sql`ip, mac, server_id, created_at, released_at`,
  from: sql`vmacs`,
  sortColumns: {
    // Text order of the address, as the IP column always sorted in the old list's search.
    ip: sql`vmacs.ip`,
    mac: sql`vmacs.mac`,
    server: sql`vmacs.server_id`,
    created: sql`vmacs.created_at`,
    released: sql`vmacs.released_at`,
  },
  tiebreaker: sql`vmacs.ip`,
  mapRow: (r) => ({
    ip: r.ip,
    mac: r.mac,
    serverId: r.server_id,
    createdAt: new Date(r.created_at),
    releasedAt: r.released_at === null ? null : new Date(r.released_at),
  }),
};

/** One page of the VMACs (active ones unless the state filter says otherwise) and how many match. */
export function listVmacPage(db: DbOrTx, view: VmacView): Promise<ListPage<VmacRow>> {
  const f = view.filters;
  const q = view.q.trim();
  const state = f.state ?? "active";
  return listPage(db, vmacSource, {
    where: [
      state === "active" ? sql`${vmacs.releasedAt} is null` : state === "released" ? sql`${vmacs.releasedAt} is not null` : undefined,
      f.server ? eq(vmacs.serverId, f.server) : undefined,
      f.from ? gte(vmacs.createdAt, f.from) : undefined,
      f.to ? lte(vmacs.createdAt, f.to) : undefined,
      // The search the page always had: an IP prefix, part of a MAC, or a server id.
      q
        ? or(
            ilike(vmacs.ip, `${escapeLike(q)}%`),
            ilike(vmacs.mac, `%${escapeLike(q.toLowerCase())}%`),
            /^\d+$/.test(q) && Number(q) <= 2_147_483_647 ? eq(vmacs.serverId, Number(q)) : sql`false`,
          )
        : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}

export interface VmacEventView {
  sort: VmacEventTableSort;
  dir: SortDir;
  q: string;
  filters: FilterValues<(typeof vmacEventTableSpec)["filters"]>;
  page: number;
  pageSize: number;
}

type RawVmacEvent = { id: string | number; at: string | Date; kind: VmacEventRow["kind"]; ip: string; mac: string; server_id: number; actor: string };

const vmacEventSource: ListSource<VmacEventTableSort, RawVmacEvent, VmacEventRow> = {
  select: sql`id, at, kind, ip, mac, server_id, actor`,
  from: sql`vmac_events`,
  sortColumns: {
    at: sql`vmac_events.at`,
    kind: sql`vmac_events.kind`,
    ip: sql`vmac_events.ip`,
    server: sql`vmac_events.server_id`,
    actor: sql`vmac_events.actor`,
  },
  tiebreaker: sql`vmac_events.id`,
  mapRow: (r) => ({ id: Number(r.id), at: new Date(r.at), kind: r.kind, ip: r.ip, mac: r.mac, serverId: r.server_id, actor: r.actor }),
};

/** One page of the VMAC events log and how many events match. */
export function listVmacEventPage(db: DbOrTx, view: VmacEventView): Promise<ListPage<VmacEventRow>> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  return listPage(db, vmacEventSource, {
    where: [
      f.kind ? eq(vmacEvents.kind, f.kind) : undefined,
      f.server ? eq(vmacEvents.serverId, f.server) : undefined,
      f.actor ? ilike(vmacEvents.actor, `%${escapeLike(f.actor)}%`) : undefined,
      f.from ? gte(vmacEvents.at, f.from) : undefined,
      f.to ? lte(vmacEvents.at, f.to) : undefined,
      q ? or(ilike(vmacEvents.ip, like), ilike(vmacEvents.mac, like), ilike(vmacEvents.actor, like)) : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}
