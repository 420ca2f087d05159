import { Time } from "@/components/ui/time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";
import type { AuditEntry } from "@/drizzle/schema/audit";

function show(v: unknown): string {
  return v === null || v === undefined ? "—" : JSON.stringify(v);
}

export function AuditTable({ rows }: { rows: AuditEntry[] }) {
  return (
    <Table data-testid="audit-table">
      <TableHeader>
        <TableRow>
          <TableHead className="w-44">When (UTC)</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Entity</TableHead>
          <TableHead>Before</TableHead>
          <TableHead>After</TableHead>
          <TableHead>Ticket</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.length === 0 && <TableEmpty colSpan={7}>No entries match.</TableEmpty>}
        {rows.map((r) => (
          <TableRow key={r.id}>
            <TableCell className="font-mono text-xs">
              <Time value={r.at} />
            </TableCell>
            <TableCell>{r.actor}</TableCell>
            <TableCell className="font-mono text-xs">{r.action}</TableCell>
            <TableCell className="font-mono text-xs">
              {r.entityType}
              {r.entityId ? `:${r.entityId}` : ""}
            </TableCell>
            <TableCell className="max-w-64 truncate font-mono text-xs" title={show(r.before)}>
              {show(r.before)}
            </TableCell>
            <TableCell className="max-w-64 truncate font-mono text-xs" title={show(r.after)}>
              {show(r.after)}
            </TableCell>
            <TableCell>{r.ticketId ?? "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
