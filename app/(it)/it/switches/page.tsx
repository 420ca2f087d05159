import { PageHeader } from "@/components/shell/page-header";
import { AddSwitchForm } from "@/components/switches/add-switch-form";
import { ApplyAllPanel } from "@/components/switches/apply-all-panel";
import { SwitchesTable } from "@/components/switches/switches-table";
import { hasAccess } from "@/lib/auth/roles";
import { switchTableSpec } from "@/lib/switches/tables";
import { parseTableState } from "@/lib/table/url-state";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Switches" };

type Search = Record<string, string | string[] | undefined>;

export default async function SwitchesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageAccess("viewer");
  const { state, errors } = parseTableState(switchTableSpec, await searchParams);
  const page = await (await getServerCaller()).switches.table(state);
  const isAdmin = hasAccess(user.roles, "admin");
  return (
    <>
      <PageHeader title="Switches" description="Junos switches under port-security automation: host keys, backups, pushes." />
      <ApplyAllPanel canStart={isAdmin} />
      {errors.length > 0 && (
        <p className="text-destructive mb-4 text-sm" role="alert">
          Bad filter (left out): {errors.join("; ")}
        </p>
      )}
      <SwitchesTable page={page} state={state} />
      {isAdmin && <AddSwitchForm />}
    </>
  );
}
