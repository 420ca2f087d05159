import { Time } from "@/components/ui/time";
import Link from "next/link";
import { EventsTable } from "@/components/port-security/events-table";
import { JOB_STATUS_VARIANT } from "@/components/provisioning/job-view";
import { NewJobForm } from "@/components/provisioning/new-job-form";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { jobTableSpec, PROVISIONING_KINDS, PROVISIONING_STATUSES } from "@/lib/provisioning/job-table";
import { parseTableState } from "@/lib/table/url-state";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Provisioning" };

// The newest few; every one is in port security's events table, filtered to this action.
const RECENT_PROVISIONED = 20;

/**
 * Controlled writes to Proxmox (a dry run first, a ticket, a second admin where the plan says so) and
 * the servers Tenantos reported as provisioned. `?node=&guestType=&vmid=` opens the form on a guest.
 */
const JOB_COLUMNS: DataTableColumn[] = [
  { id: "id", header: "#", isSortable: true },
  { id: "asked", header: "Asked", isSortable: true },
  { id: "kind", header: "Kind", isSortable: true },
  { id: "node", header: "Node · VMID", isSortable: true },
  { id: "summary", header: "Job" },
  { id: "ticket", header: "Ticket", isSortable: true },
  { id: "status", header: "Status", isSortable: true },
  { id: "progress", header: "Progress" },
];

const JOB_FILTERS: DataTableFilter[] = [
  { kind: "select", param: "status", label: "Status", options: PROVISIONING_STATUSES },
  { kind: "select", param: "kind", label: "Kind", options: PROVISIONING_KINDS },
  { kind: "text", param: "node", label: "Job on node" },
  { kind: "text", param: "by", label: "Asked by" },
  { kind: "dateRange", label: "Asked", from: "from", to: "to" },
];

export default async function ProvisioningPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePageAccess("viewer");
  const caller = await getServerCaller();
  const params = await searchParams;
  const jobView = parseTableState(jobTableSpec, params);
  const [jobs, prefixes, events] = await Promise.all([
    caller.provisioning.table(jobView.state),
    caller.ipam.prefixes(),
    caller.portSecurity.events({ action: "server_provisioned", limit: RECENT_PROVISIONED }),
  ]);
  const canRequest = hasAccess(user.roles, "admin");
  const vmid = Number(params.vmid);
  return (
    <>
      <PageHeader
        title="Provisioning"
        description="Jobs on Proxmox: planned as a dry run (the exact API calls and guard checks, nothing sent), requested with a ticket, approved by a second admin when destructive or on production, and followed to the end of their Proxmox tasks."
      />
      {canRequest && (
        <NewJobForm
          prefixes={prefixes.map((p) => ({ id: p.id, prefix: p.prefix, vid: p.vid }))}
          initial={{ node: params.node, guestType: params.guestType, vmid: Number.isInteger(vmid) && vmid > 0 ? vmid : undefined }}
        />
      )}
      <section className="mt-6 grid gap-2" aria-label="Provisioning jobs">
        <h2 className="text-lg font-semibold">Queue</h2>
        {jobView.errors.length > 0 && (
          <p className="text-destructive text-sm" role="alert">
            Bad filter (left out): {jobView.errors.join("; ")}
          </p>
        )}
        <DataTable
          label="Provisioning jobs"
          testId="provisioning-jobs"
          paramPrefix={jobTableSpec.paramPrefix}
          columns={JOB_COLUMNS}
          filters={JOB_FILTERS}
          search={{ label: "Search", placeholder: "job, ticket, node, VMID, address" }}
          state={jobView.state}
          total={jobs.total}
          isTotalCapped={jobs.isTotalCapped}
          emptyText={jobs.total === 0 && !jobView.state.q && Object.keys(jobView.state.filters).length === 0 ? "No provisioning job yet." : "No jobs match."}
          rows={jobs.rows.map((j) => ({
            id: j.id,
            cells: {
              id: (
                <Link href={`/it/provisioning/${j.id}`} className="underline">
                  {j.id}
                </Link>
              ),
              asked: <Time value={j.requestedAt} />,
              kind: <span className="font-mono text-xs">{j.kind}</span>,
              node: (
                <span className="font-mono text-xs">
                  {j.node}
                  {j.vmid ? ` · ${j.vmid}` : ""}
                </span>
              ),
              summary: <span className="text-sm">{j.summary}</span>,
              ticket: <span className="font-mono text-xs">{j.ticketId}</span>,
              status: (
                <>
                  <Badge variant={JOB_STATUS_VARIANT[j.status]}>{j.status}</Badge>
                  {j.error && <span className="text-destructive ml-2 text-xs">{j.error}</span>}
                </>
              ),
              progress: (
                <span className="text-xs">
                  {j.callsSent}/{j.callCount} calls
                </span>
              ),
            },
          }))}
        />
      </section>
      <section className="mt-8 grid gap-2" aria-label="Servers provisioned in Tenantos">
        <h2 className="text-lg font-semibold">Servers provisioned in Tenantos</h2>
        <p className="text-muted-foreground text-sm">
          Reported by POST /api/provisioning/event: each gets its switch port&apos;s description and first bindings through the same engine, or the reason it
          could not.
        </p>
        <EventsTable events={events} />
        <p className="text-sm">
          The newest {RECENT_PROVISIONED} are shown.{" "}
          <Link className="underline" href="/it/port-security?action=server_provisioned">
            Every server provisioned, in the events table
          </Link>
        </p>
      </section>
    </>
  );
}
