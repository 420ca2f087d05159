import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { SwitchAlerts } from "@/server/services/switches/alerts";

const LABELS: Array<[keyof SwitchAlerts, string, "destructive" | "warning"]> = [
  ["hostKeyMismatch", "host key changed: pushes stopped", "destructive"],
  ["failedLastPush", "last push failed", "destructive"],
  ["awaitingApproval", "host key awaiting approval", "warning"],
  ["manualChanges", "changed outside the controller (7 days)", "warning"],
  ["drifted", "bindings differ from desired", "warning"],
  ["undefinedVlanSkips", "bindings held back: VLAN not defined on the switch", "warning"],
  ["claimedTwice", "an IP claimed by two VMs (skipped on both)", "destructive"],
];

export function SwitchAlertsCard({ alerts }: { alerts: SwitchAlerts }) {
  const active = LABELS.filter(([k]) => alerts[k] > 0);
  return (
    <Card className="mt-4" data-testid="switch-alerts">
      <CardHeader>
        <CardTitle>Switches</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-wrap gap-3 text-sm">
        {active.length === 0 && <span className="text-muted-foreground">Nothing needs attention.</span>}
        {active.map(([k, label, variant]) => (
          <Link key={k} href="/it/switches" className="flex items-center gap-2">
            <Badge variant={variant}>{alerts[k]}</Badge> {label}
          </Link>
        ))}
      </CardContent>
    </Card>
  );
}
