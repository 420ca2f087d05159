import { Time } from "@/components/ui/time";
import { DecideButtons } from "@/components/approvals/decide-buttons";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasAccess, ROLES } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Approvals" };

const VARIANT = { pending: "warning", applied: "success", rejected: "secondary", failed: "destructive", expired: "secondary" } as const;

export default async function ApprovalsPage() {
  // Finance decides the billing mode here too.
  const user = await requirePageAccess("any");
  const isAdmin = hasAccess(user.roles, "admin");
  const isFinance = user.roles.includes(ROLES.finance);
  // Finance decides the billing mode; IT admins decide the rest.
  const canDecide = (need: "admin" | "finance") => (need === "finance" ? isFinance : isAdmin);
  const rows = await (await getServerCaller()).approvals.list({});
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Changes that take bindings away (a device loses its traffic), settings that weaken safety or evidence, removals that cut many customers off, and destructive or production provisioning jobs wait here for a second person. What a request does is computed now, from the state as it is: when that moved since it was asked, the new difference is shown and must be approved again. The break-glass account never approves."
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
              <TableCell className="font-mono text-xs">
                <Time value={r.requestedAt} precision="minute" />
              </TableCell>
              <TableCell>{r.requestedBy}</TableCell>
              <TableCell className="font-mono text-xs" data-testid={`approval-${r.id}-change`}>
                {r.now && "lines" in r.now ? (
                  <>
                    {r.now.isMoved && (
                      <Badge variant="warning" className="mb-1">
                        changed since asked: this is what it does now
                      </Badge>
                    )}
                    <ul>
                      {r.now.lines.map((l, i) => (
                        <li key={i}>{l}</li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <span className="whitespace-pre-line">{r.summary}</span>
                )}
                {r.now && "error" in r.now && <span className="text-destructive block">{r.now.error}</span>}
                {r.ticketId ? ` · ${r.ticketId}` : ""}
                {r.expiresAt && (
                  <span className="text-muted-foreground block">
                    expires <Time value={r.expiresAt} precision="minute" />
                  </span>
                )}
              </TableCell>
              <TableCell>
                <Badge variant={VARIANT[r.status]}>{r.status}</Badge>
                {r.error && <span className="text-destructive ml-2 text-xs">{r.error}</span>}
              </TableCell>
              <TableCell className="text-xs">
                {r.decidedBy ? (
                  <>
                    {r.decidedBy}, <Time value={r.decidedAt} precision="minute" />
                  </>
                ) : (
                  ""
                )}
              </TableCell>
              <TableCell>
                {r.status === "pending" &&
                  canDecide(r.now && "requiredRole" in r.now ? r.now.requiredRole : "admin") &&
                  (user.isBreakGlass ? (
                    <span className="text-muted-foreground text-xs">the break-glass account never approves</span>
                  ) : r.requestedBy === (user.email || user.id) || (r.requestedBySubject === user.id && r.requestedByIssuer === user.issuer) ? (
                    <span className="text-muted-foreground text-xs">another admin decides</span>
                  ) : (
                    <DecideButtons id={r.id} digest={r.now && "digest" in r.now ? r.now.digest : undefined} />
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
