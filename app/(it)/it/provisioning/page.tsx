import { EventsTable } from "@/components/port-security/events-table";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Provisioning" };

/** Servers Tenantos reported as provisioned, and whether their switch port got set up. */
export default async function ProvisioningPage() {
  await requirePageAccess("viewer");
  const events = await (await getServerCaller()).portSecurity.events({ action: "server_provisioned", limit: 200 });
  return (
    <>
      <PageHeader
        title="Provisioning"
        description="Servers Tenantos reported as provisioned (POST /api/provisioning/event): each gets its switch port's description and first bindings through the same engine, or the reason it could not."
      />
      <EventsTable events={events} />
    </>
  );
}
