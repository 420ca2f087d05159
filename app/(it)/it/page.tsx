import { formatUtc } from "@/lib/time/format";
import { HealthCards } from "@/components/dashboard/health-cards";
import { SignInCard } from "@/components/dashboard/sign-in-card";
import { InventoryAlertsCard } from "@/components/dashboard/inventory-alerts-card";
import { SwitchAlertsCard } from "@/components/dashboard/switch-alerts-card";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  await requirePageAccess("viewer");
  const api = await getServerCaller();
  const [health, jobs, alerts, inventory, signIn] = await Promise.all([
    api.health.get(),
    api.jobs.counts(),
    api.switches.alerts(),
    api.inventory.alerts(),
    api.sessions.overview(),
  ]);
  return (
    <>
      <PageHeader title="Dashboard" description={`Checked ${formatUtc(health.checkedAt)}`} />
      <HealthCards health={health} jobs={jobs} />
      <SwitchAlertsCard alerts={alerts} />
      <InventoryAlertsCard alerts={inventory} />
      <SignInCard overview={signIn} />
    </>
  );
}
