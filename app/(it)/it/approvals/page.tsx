import { Time } from "@/components/ui/time";
import { DecideButtons } from "@/components/approvals/decide-buttons";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { APPROVAL_KINDS, APPROVAL_STATUSES, approvalTableSpec } from "@/lib/approvals/approval-table";
import { parseTableState } from "@/lib/table/url-state";
import { hasAccess, ROLES } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Approvals" };

const VARIANT = { pending: "warning", applied: "success", rejected: "secondary", failed: "destructive", expired: "secondary" } as const;

const COLUMNS: DataTableColumn[] = [
  { id: "id", header: "#", isSortable: true },
  { id: "asked", header: "Asked", isSortable: true },
  { id: "by", header: "By", isSortable: true },
  { id: "kind", header: "Kind", isSortable: true },
  { id: "change", header: "Change" },
  { id: "status", header: "Status", isSortable: true },
  { id: "decided", header: "Decided", isSortable: true },
  { id: "actions", header: "" },
];

const FILTERS: DataTableFilter[] = [
  { kind: "select", param: "status", label: "Status", options: APPROVAL_STATUSES },
  { kind: "select", param: "kind", label: "Kind", options: APPROVAL_KINDS },
  { kind: "text", param: "by", label: "Asked by" },
  { kind: "dateRange", label: "Asked", from: "from", to: "to" },
];

type Search = Record<string, string | string[] | undefined>;

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<Search> }) {
  // Finance decides the billing mode here too.
  const user = await requirePageAccess("any");
  const isAdmin = hasAccess(user.roles, "admin");
  const isFinance = user.roles.includes(ROLES.finance);
  // Finance decides the billing mode; IT admins decide the rest.
  const canDecide = (need: "admin" | "finance") => (need === "finance" ? isFinance : isAdmin);
  const { state, errors } = parseTableState(approvalTableSpec, await searchParams);
  const page = await (await getServerCaller()).approvals.table(state);
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Changes that take bindings away (a device loses its traffic), settings that weaken safety or evidence, removals that cut many customers off, and destructive or production provisioning jobs wait here for a second person. What a request does is computed now, from the state as it is: when that moved since it was asked, the new difference is shown and must be approved again. The break-glass account never approves."
      />
      {errors.length > 0 && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Bad filter (left out): {errors.join("; ")}
        </p>
      )}
      <DataTable
        label="Approvals"
        testId="approvals-table"
        columns={COLUMNS}
        filters={FILTERS}
        search={{ label: "Search", placeholder: "change, ticket, who" }}
        state={state}
        total={page.total}
        isTotalCapped={page.isTotalCapped}
        emptyText={page.total === 0 && !state.q && Object.keys(state.filters).length === 0 ? "Nothing has needed a second admin yet." : "No requests match."}
        rows={page.rows.map((r) => ({
          id: r.id,
          cells: {
            id: r.id,
            asked: <Time value={r.requestedAt} />,
            by: r.requestedBy,
            kind: <span className="font-mono text-xs">{r.kind}</span>,
            change: (
              <div className="font-mono text-xs" data-testid={`approval-${r.id}-change`}>
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
              </div>
            ),
            status: (
              <>
                <Badge variant={VARIANT[r.status]}>{r.status}</Badge>
                {r.error && <span className="text-destructive ml-2 text-xs">{r.error}</span>}
              </>
            ),
            decided: r.decidedBy ? (
              <span className="text-xs">
                {r.decidedBy}, <Time value={r.decidedAt} precision="minute" />
              </span>
            ) : (
              ""
            ),
            actions:
              r.status === "pending" &&
              canDecide(r.now && "requiredRole" in r.now ? r.now.requiredRole : "admin") &&
              (user.isBreakGlass ? (
                <span className="text-muted-foreground text-xs">the break-glass account never approves</span>
              ) : r.requestedBy === (user.email || user.id) || (r.requestedBySubject === user.id && r.requestedByIssuer === user.issuer) ? (
                <span className="text-muted-foreground text-xs">another admin decides</span>
              ) : (
                <DecideButtons
                  id={r.id}
                  digest={r.now && "digest" in r.now ? r.now.digest : undefined}
                  lines={r.now && "lines" in r.now ? r.now.lines : undefined}
                  summary={r.summary}
                />
              )),
          },
        }))}
      />
    </>
  );
}
