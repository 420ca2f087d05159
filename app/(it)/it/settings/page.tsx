import { PageHeader } from "@/components/shell/page-header";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { PanelConnectionCard } from "@/components/settings/panel-connections-form";
import { NotificationsPanel } from "@/components/settings/notifications-panel";
import { SessionsPanel } from "@/components/settings/sessions-panel";
import { ProvisioningSettingsForm } from "@/components/settings/provisioning-settings-form";
import { SettingsForm } from "@/components/settings/settings-form";
import { hasAccess } from "@/lib/auth/roles";
import { formatVlanAllowlist } from "@/lib/settings/vlan-allowlist";
import { formatVlanList, formatVmidRanges } from "@/lib/provisioning/policy";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageAccess("viewer");
  const caller = await getServerCaller();
  const [settings, connections] = await Promise.all([caller.settings.get(), caller.panel.connections()]);
  const canEdit = hasAccess(user.roles, "admin");
  return (
    <>
      <PageHeader title="Settings" description="Stored in Postgres; every change is audited." />
      <SettingsForm
        canEdit={canEdit}
        initial={{
          vlanAllowlist: formatVlanAllowlist(settings.vlanAllowlist),
          backupSchedule: settings.backupSchedule,
          backupRetentionDays: String(settings.backupRetentionDays),
          auditRetentionDays: String(settings.auditRetentionDays),
          timelineRetentionDays: String(settings.timelineRetentionDays),
          jobRunRetentionDays: String(settings.jobRunRetentionDays),
          vmacPrefix: settings.vmacPrefix,
          vmacQuarantineDays: String(settings.vmacQuarantineDays),
          approvalExpiryDays: String(settings.approvalExpiryDays),
          isSecondApprovalRequired: settings.isSecondApprovalRequired ? "required" : "off",
          inventorySchedule: settings.inventorySchedule,
          isDriftAutoRepairOn: settings.isDriftAutoRepairOn ? "on" : "off",
          isUnknownVmBound: settings.isUnknownVmBound ? "bind" : "skip",
          bandwidthBillingMode: settings.bandwidthBillingMode,
        }}
      />
      <ProvisioningSettingsForm
        canEdit={canEdit}
        initial={{
          provisioningNodes: settings.provisioningNodes.join(", "),
          provisioningVmidRanges: formatVmidRanges(settings.provisioningVmidRanges),
          provisioningStorages: settings.provisioningStorages.join(", "),
          provisioningBridges: settings.provisioningBridges.join(", "),
          provisioningVlans: formatVlanList(settings.provisioningVlans),
          provisioningPrefixes: settings.provisioningPrefixes.join(", "),
          provisioningJobTypes: settings.provisioningJobTypes.join(", "),
          productionNodes: settings.productionNodes.join(", "),
          productionVmidRanges: formatVmidRanges(settings.productionVmidRanges),
          provisioningTicketPattern: settings.provisioningTicketPattern,
        }}
      />
      <section className="mt-8 grid gap-4" aria-label="Connections">
        <h2 className="text-lg font-semibold">Connections</h2>
        {connections.map((c) => (
          <PanelConnectionCard key={c.kind} connection={c} canEdit={canEdit} />
        ))}
      </section>
      {canEdit && <NotificationsPanel />}
      {canEdit && <ApiKeysPanel />}
      {canEdit && <SessionsPanel />}
    </>
  );
}
