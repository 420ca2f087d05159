import { PageHeader } from "@/components/shell/page-header";
import { AddSwitchForm } from "@/components/switches/add-switch-form";
import { ApplyAllPanel } from "@/components/switches/apply-all-panel";
import { SwitchesTable } from "@/components/switches/switches-table";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Switches" };

export default async function SwitchesPage() {
  const user = await requirePageAccess("viewer");
  const switches = await (await getServerCaller()).switches.list();
  const isAdmin = hasAccess(user.roles, "admin");
  return (
    <>
      <PageHeader title="Switches" description="Junos switches under port-security automation: host keys, backups, pushes." />
      <ApplyAllPanel canStart={isAdmin} />
      <SwitchesTable switches={switches} />
      {isAdmin && <AddSwitchForm />}
    </>
  );
}
