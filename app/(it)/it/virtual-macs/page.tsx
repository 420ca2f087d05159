import { PageHeader } from "@/components/shell/page-header";
import { VmacCheckCard } from "@/components/vmacs/vmac-check-card";
import { VmacsPanel } from "@/components/vmacs/vmacs-panel";
import { hasAccess } from "@/lib/auth/roles";
import { vmacEventTableSpec, vmacTableSpec } from "@/lib/port-security/vmac-table";
import { parseTableState } from "@/lib/table/url-state";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Virtual MACs" };

type Search = Record<string, string | string[] | undefined>;

export default async function VirtualMacsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageAccess("viewer");
  const search = await searchParams;
  // Two tables: the VMACs (plain params; `?q=` links keep working) and their events (`events.…`).
  const vmacView = parseTableState(vmacTableSpec, search);
  const eventView = parseTableState(vmacEventTableSpec, search);
  const api = await getServerCaller();
  const [list, events, check] = await Promise.all([api.vmacs.table(vmacView.state), api.vmacs.eventTable(eventView.state), api.vmacs.check()]);
  const errors = [...vmacView.errors, ...eventView.errors.map((e) => `events ${e}`)];
  return (
    <>
      <PageHeader title="Virtual MACs" description="One MAC per additional IP of a dedicated server; the switch binds the IP to it." />
      <div className="mb-6">
        <VmacCheckCard check={check} />
      </div>
      {errors.length > 0 && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Bad filter (left out): {errors.join("; ")}
        </p>
      )}
      <VmacsPanel vmacs={list} vmacState={vmacView.state} events={events} eventState={eventView.state} canEdit={hasAccess(user.roles, "admin")} />
    </>
  );
}
