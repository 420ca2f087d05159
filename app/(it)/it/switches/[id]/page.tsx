import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { HostKeyPanel } from "@/components/switches/host-key-panel";
import { PortBindingsForm } from "@/components/switches/port-bindings-form";
import { PortsTable } from "@/components/switches/ports-table";
import { PortPlanTable } from "@/components/switches/port-plan";
import { PushesTable } from "@/components/switches/pushes-table";
import { CheckDriftButton, RepairDriftButton } from "@/components/switches/switch-actions";
import { hasAccess } from "@/lib/auth/roles";
import { findRepairablePorts } from "@/lib/junos/drift";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";
import { BackupsPanel } from "@/components/switches/backups-panel";
import { PendingConfirmNotice } from "@/components/switches/pending-confirm-notice";
import { SwitchAdminCard } from "@/components/switches/switch-admin-card";
import { Badge } from "@/components/ui/badge";
import { LinksPanel } from "@/components/switches/links-panel";

export default async function SwitchPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageAccess("viewer");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const caller = await getServerCaller();
  const detail = await caller.switches.get({ id }).catch((e: { code?: string }) => (e.code === "NOT_FOUND" ? null : Promise.reject(e)));
  if (!detail) notFound();
  const [links, plan] = await Promise.all([caller.switches.links({ id }), caller.switches.plan({ id }).then((p) => p[0] ?? null)]);
  const isAdmin = hasAccess(user.roles, "admin");
  const sw = detail.switch;
  // Drift on ports we manage is an alert with a fix; on others it is only shown.
  const repairable = detail.drift && !detail.drift.error ? findRepairablePorts(detail.drift.ports) : [];
  return (
    <>
      <PageHeader title={sw.name} description={`${sw.host}:${sw.port} · ${sw.dialect ?? "dialect not detected yet"} · user ${sw.username}`} />
      {!sw.isAutomationEnabled && (
        <p className="mb-2 text-sm">
          <Badge variant="warning">automation off</Badge> Nothing is pushed to this switch; backups and drift checks still run.
        </p>
      )}
      <HostKeyPanel sw={sw} canApprove={isAdmin} />
      {detail.pendingConfirm && <PendingConfirmNotice pending={detail.pendingConfirm} />}
      <div className="mt-8 mb-2 flex items-center justify-between">
        <h2 className="text-lg font-semibold">Ports and bindings</h2>
        {isAdmin && (
          <span className="flex items-center gap-2">
            {repairable.length > 0 && <RepairDriftButton switchId={sw.id} ports={repairable} />}
            <CheckDriftButton switchId={sw.id} />
          </span>
        )}
      </div>
      {repairable.length > 0 && (
        <p className="mb-2 text-sm" role="alert">
          <Badge variant="warning">drift</Badge> {repairable.join(", ")} {repairable.length === 1 ? "no longer holds" : "no longer hold"} the bindings we manage
          there.
        </p>
      )}
      <h3 className="mt-4 mb-1 text-sm font-semibold">Plan: per port, desired (with its source) against the switch</h3>
      <PortPlanTable ports={plan?.ports ?? []} currentAsOf={plan?.currentAsOf ?? null} />
      <h3 className="mt-6 mb-1 text-sm font-semibold">Manual bindings and the last drift check</h3>
      <PortsTable ports={detail.ports} drift={detail.drift} />
      {isAdmin && <PortBindingsForm switchId={sw.id} />}
      <h2 className="mt-8 mb-2 text-lg font-semibold">Pushes</h2>
      <PushesTable pushes={detail.pushes} />
      <h2 className="mt-8 mb-2 text-lg font-semibold">Links (LLDP and ae bundles)</h2>
      <LinksPanel links={links} />
      <h2 className="mt-8 mb-2 text-lg font-semibold">Backups</h2>
      <BackupsPanel switchId={sw.id} backups={detail.backups} canBackUp={isAdmin} />
      {isAdmin && <SwitchAdminCard sw={sw} />}
    </>
  );
}
