import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { PortSecurityEventRow } from "@/drizzle/schema";
import { EVENT_ACTIONS, EVENT_STATUSES } from "@/lib/port-security/event-table";
import type { SortDir } from "@/lib/table/url-state";
import { Time } from "@/components/ui/time";

const VARIANT = { received: "secondary", queued: "default", skipped: "warning", done: "success", failed: "destructive" } as const;

const COLUMNS: DataTableColumn[] = [
  { id: "received", header: "Received", isSortable: true },
  { id: "action", header: "Action", isSortable: true },
  { id: "server", header: "Server", isSortable: true },
  { id: "ip", header: "IP", isSortable: true },
  { id: "status", header: "Outcome", isSortable: true },
  { id: "switch", header: "Switch port / reason", isSortable: true },
  { id: "job", header: "Job", isSortable: true },
];

/** One event's cells, shared by the events page's table and the provisioning page's list. */
function eventCells(e: PortSecurityEventRow): Record<string, ReactNode> {
  return {
    received: <Time value={e.receivedAt} />,
    action: <span className="font-mono text-xs">{e.action}</span>,
    server: (
      <Link className="underline" href={`/it/port-security?server=${e.serverId}`}>
        {e.serverId}
      </Link>
    ),
    ip: e.ip ? (
      <Link href={`/it/why?ip=${encodeURIComponent(e.ip)}`} className="font-mono text-xs underline" title="Why is (or isn't) this IP bound?">
        {e.ip}
      </Link>
    ) : (
      "—"
    ),
    status: <Badge variant={VARIANT[e.status]}>{e.status}</Badge>,
    switch: (
      <span className="text-xs">
        {e.switchId ? (
          <Link className="underline" href={`/it/switches/${e.switchId}`}>
            switch {e.switchId} · {e.interface}
          </Link>
        ) : (
          (e.skipReason ?? "—")
        )}
      </span>
    ),
    job: <span className="font-mono text-xs">{e.jobId ?? "—"}</span>,
  };
}

/** The port-security events as a sortable, filtered, paged table over the URL's view. */
export function EventsDataTable({
  page,
  state,
  switches,
}: {
  page: { rows: PortSecurityEventRow[]; total: number; isTotalCapped: boolean };
  state: { sort: string; dir: SortDir; page: number; pageSize: number };
  switches: ReadonlyArray<{ id: number; name: string }>;
}) {
  const filters: DataTableFilter[] = [
    { kind: "text", param: "server", label: "Server id" },
    { kind: "select", param: "status", label: "Outcome", options: EVENT_STATUSES },
    { kind: "select", param: "action", label: "Action", options: EVENT_ACTIONS },
    { kind: "select", param: "switch", label: "Switch", options: switches.map((s) => ({ value: String(s.id), label: s.name })) },
    { kind: "dateRange", label: "Received", from: "from", to: "to" },
  ];
  return (
    <DataTable
      label="Port-security events"
      testId="events-table"
      columns={COLUMNS}
      filters={filters}
      search={{ label: "Search", placeholder: "IP, interface, reason" }}
      state={state}
      total={page.total}
      isTotalCapped={page.isTotalCapped}
      exportHref="/api/port-security/export/events"
      emptyText="No events."
      rows={page.rows.map((e) => ({ id: e.id, cells: eventCells(e) }))}
    />
  );
}

/** A short, unsorted list of events (the provisioning page's latest). */
export function EventsTable({ events }: { events: PortSecurityEventRow[] }) {
  return (
    <Table data-testid="events-table">
      <TableHeader>
        <TableRow>
          {COLUMNS.map((c) => (
            <TableHead key={c.id}>{c.header}</TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.length === 0 && <TableEmpty colSpan={COLUMNS.length}>No events.</TableEmpty>}
        {events.map((e) => {
          const cells = eventCells(e);
          return (
            <TableRow key={e.id}>
              {COLUMNS.map((c) => (
                <TableCell key={c.id}>{cells[c.id]}</TableCell>
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
