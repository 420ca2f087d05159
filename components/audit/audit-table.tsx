import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { Time } from "@/components/ui/time";
import type { AuditEntry } from "@/drizzle/schema/audit";
import type { ListPage } from "@/server/db/list-query";

function show(v: unknown): string {
  return v === null || v === undefined ? "—" : JSON.stringify(v);
}

const COLUMNS: DataTableColumn[] = [
  { id: "at", header: "When", isSortable: true, className: "w-44" },
  { id: "actor", header: "Actor", isSortable: true },
  { id: "action", header: "Action", isSortable: true },
  { id: "entity", header: "Entity", isSortable: true },
  { id: "before", header: "Before" },
  { id: "after", header: "After" },
  { id: "ticket", header: "Ticket", isSortable: true },
];

// `actor`, `entity`, `from` and `to` are the params the page always read (links keep working).
const FILTERS: DataTableFilter[] = [
  { kind: "text", param: "actor", label: "Actor", placeholder: "email or system:…" },
  { kind: "text", param: "entity", label: "Entity", placeholder: "type, id, or type:id" },
  { kind: "text", param: "action", label: "Action", placeholder: "e.g. switch." },
  { kind: "dateRange", label: "When", from: "from", to: "to" },
];

export function AuditTable({ page, state }: { page: ListPage<AuditEntry>; state: { sort: string; dir: "asc" | "desc"; page: number; pageSize: number } }) {
  return (
    <DataTable
      label="Audit log"
      testId="audit-table"
      columns={COLUMNS}
      filters={FILTERS}
      search={{ label: "Search", placeholder: "actor, action, entity, ticket" }}
      state={state}
      total={page.total}
      isTotalCapped={page.isTotalCapped}
      exportHref="/api/audit/export"
      emptyText="No entries match."
      rows={page.rows.map((r) => ({
        id: r.id,
        cells: {
          at: <Time value={r.at} />,
          actor: r.actor,
          action: <span className="font-mono text-xs">{r.action}</span>,
          entity: (
            <span className="font-mono text-xs">
              {r.entityType}
              {r.entityId ? `:${r.entityId}` : ""}
            </span>
          ),
          before: (
            <span className="block max-w-64 truncate font-mono text-xs" title={show(r.before)}>
              {show(r.before)}
            </span>
          ),
          after: (
            <span className="block max-w-64 truncate font-mono text-xs" title={show(r.after)}>
              {show(r.after)}
            </span>
          ),
          ticket: r.ticketId ?? "—",
        },
      }))}
    />
  );
}
