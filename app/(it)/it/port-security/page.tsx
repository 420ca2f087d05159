import { AutomationStatus } from "@/components/port-security/automation-status";
import { EventsDataTable } from "@/components/port-security/events-table";
import { PageHeader } from "@/components/shell/page-header";
import { eventTableSpec } from "@/lib/port-security/event-table";
import { parseTableState } from "@/lib/table/url-state";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Port security" };

type Search = Record<string, string | string[] | undefined>;

export default async function PortSecurityPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageAccess("viewer");
  const { state, errors } = parseTableState(eventTableSpec, await searchParams);
  const api = await getServerCaller();
  const [page, automation, switches] = await Promise.all([api.portSecurity.eventTable(state), api.portSecurity.status(), api.portSecurity.switchChoices()]);
  return (
    <>
      <PageHeader title="Port security" description="Events Tenantos posted, newest first: each marks a switch port to reconcile, or says why it could not." />
      <AutomationStatus status={automation} />
      {errors.length > 0 && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Bad filter (left out): {errors.join("; ")}
        </p>
      )}
      <EventsDataTable page={page} state={state} switches={switches} />
    </>
  );
}
