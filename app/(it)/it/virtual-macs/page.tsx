import { PageHeader } from "@/components/shell/page-header";
import { VmacsPanel } from "@/components/vmacs/vmacs-panel";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Virtual MACs" };

export default async function VirtualMacsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const user = await requirePageAccess("viewer");
  const { q } = await searchParams;
  const api = await getServerCaller();
  const [list, events] = await Promise.all([api.vmacs.list({ search: q, isActiveOnly: true, limit: 500 }), api.vmacs.events({ limit: 50 })]);
  return (
    <>
      <PageHeader title="Virtual MACs" description="One MAC per additional IP of a dedicated server; the switch binds the IP to it." />
      <VmacsPanel vmacs={list} events={events} search={q ?? ""} canEdit={hasAccess(user.roles, "admin")} />
    </>
  );
}
