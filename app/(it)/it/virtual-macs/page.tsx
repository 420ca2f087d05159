import { PageHeader } from "@/components/shell/page-header";
import { VmacCheckCard } from "@/components/vmacs/vmac-check-card";
import { VmacsPanel } from "@/components/vmacs/vmacs-panel";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Virtual MACs" };

export default async function VirtualMacsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requirePageAccess("viewer");
  const { q } = await searchParams;
  const api = await getServerCaller();
  const [list, events, check] = await Promise.all([
    api.vmacs.list({ search: q, isActiveOnly: true, limit: 500 }),
    api.vmacs.events({ limit: 50 }),
    api.vmacs.check(),
  ]);
  return (
    <>
      <PageHeader title="Virtual MACs" description="One MAC per additional IP of a dedicated server; the switch binds the IP to it." />
      <div className="mb-6">
        <VmacCheckCard check={check} />
      </div>
      <VmacsPanel vmacs={list} events={events} search={q ?? ""} canEdit={hasAccess(user.roles, "admin")} />
    </>
  );
}
