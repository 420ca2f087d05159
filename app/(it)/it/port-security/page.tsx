import { AutomationStatus } from "@/components/port-security/automation-status";
import { EventsTable } from "@/components/port-security/events-table";
import { PageHeader } from "@/components/shell/page-header";
import { FilterInput, FilterSelect } from "@/components/ui/filter-fields";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Port security" };

type Search = { server?: string; status?: string; action?: string };
const STATUSES = ["received", "queued", "skipped", "done", "failed"] as const;
const ACTIONS = ["ip_assigned", "ip_removed", "server_deleted", "server_provisioned"] as const;

export default async function PortSecurityPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageAccess("viewer");
  const sp = await searchParams;
  const api = await getServerCaller();
  const serverId = sp.server && /^\d+$/.test(sp.server) ? Number(sp.server) : undefined;
  const status = STATUSES.find((s) => s === sp.status);
  const action = ACTIONS.find((a) => a === sp.action);
  const [events, automation] = await Promise.all([api.portSecurity.events({ serverId, status, action, limit: 200 }), api.portSecurity.status()]);
  return (
    <>
      <PageHeader title="Port security" description="Events Tenantos posted, newest first: each marks a switch port to reconcile, or says why it could not." />
      <AutomationStatus status={automation} />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <FilterInput name="server" label="Server id" defaultValue={sp.server} />
        <FilterSelect name="status" label="Outcome" value={status} options={STATUSES} anyLabel="any" />
        <FilterSelect name="action" label="Action" value={action} options={ACTIONS} anyLabel="any" />
        <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
          Filter
        </button>
      </form>
      <EventsTable events={events} />
    </>
  );
}
