import { PageHeader } from "@/components/shell/page-header";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { SettingsForm } from "@/components/settings/settings-form";
import { hasAccess } from "@/lib/auth/roles";
import { formatVlanAllowlist } from "@/lib/settings/vlan-allowlist";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageAccess("viewer");
  const settings = await (await getServerCaller()).settings.get();
  return (
    <>
      <PageHeader title="Settings" description="Stored in Postgres; every change is audited." />
      <SettingsForm
        canEdit={hasAccess(user.roles, "admin")}
        initial={{ vlanAllowlist: formatVlanAllowlist(settings.vlanAllowlist), backupSchedule: settings.backupSchedule, backupRetentionDays: String(settings.backupRetentionDays), vmacPrefix: settings.vmacPrefix, inventorySchedule: settings.inventorySchedule }}
      />
      {hasAccess(user.roles, "admin") && <ApiKeysPanel />}
    </>
  );
}
