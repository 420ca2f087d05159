import { DecideButtons } from "@/components/approvals/decide-buttons";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";
import { formatUtc } from "@/components/switches/relative-time";

export const metadata = { title: "Approvals" };

const VARIANT = { pending: "warning", applied: "success", rejected: "secondary", failed: "destructive" } as const;

export default async function ApprovalsPage() {
  const user = await requirePageAccess("viewer");
  const canDecide = hasAccess(user.roles, "admin");
  const rows = await (await getServerCaller()).approvals.list({});
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Changes that take bindings away (a device loses its traffic), settings that weaken safety, and destructive or production provisioning jobs on Proxmox wait here for a second admin."
      />
      <Table data-testid="approvals-table">
        <TableHeader>
          <TableRow>
            <TableHead>#</TableHead>
            <TableHead>Asked (UTC)</TableHead>
            <TableHead>By</TableHead>
            <TableHead>Change</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Decided</TableHead>
            <TableHead />
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id}>
              <TableCell>{r.id}</TableCell>
              <TableCell className="font-mono text-xs">{formatUtc(r.requestedAt, "minute")}</TableCell>
              <TableCell>{r.requestedBy}</TableCell>
              <TableCell className="font-mono text-xs">
                {r.summary}
                {r.ticketId ? ` · ${r.ticketId}` : ""}
              </TableCell>
              <TableCell>
                <Badge variant={VARIANT[r.status]}>{r.status}</Badge>
                {r.error && <span className="text-destructive ml-2 text-xs">{r.error}</span>}
              </TableCell>
              <TableCell className="text-xs">{r.decidedBy ? `${r.decidedBy}, ${formatUtc(r.decidedAt, "minute")}` : ""}</TableCell>
              <TableCell>
                {canDecide &&
                  r.status === "pending" &&
                  (r.requestedBy === (user.email || user.id) ? (
                    <span className="text-muted-foreground text-xs">another admin decides</span>
                  ) : (
                    <DecideButtons id={r.id} />
                  ))}
              </TableCell>
            </TableRow>
          ))}
          {rows.length === 0 && <TableEmpty colSpan={7}>Nothing has needed a second admin yet.</TableEmpty>}
        </TableBody>
      </Table>
    </>
  );
}
