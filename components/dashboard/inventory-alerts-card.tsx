import Link from "next/link";
import { FreshnessBadge } from "@/components/inventory/freshness-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

interface InventoryAlerts {
  duplicateGuestIps: Array<{ ip: string; vmids: number[] }>;
  collected_at: string | null;
  is_stale: boolean;
  error: string | null;
}

/** Two guests on one address break both: the one inventory alarm that belongs on the dashboard. */
export function InventoryAlertsCard({ alerts }: { alerts: InventoryAlerts }) {
  const dups = alerts.duplicateGuestIps;
  return (
    <Card className="mt-4" data-testid="inventory-alerts">
      <CardHeader>
        <CardTitle>Inventory</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        <FreshnessBadge freshness={alerts} />
        {dups.length === 0 ? (
          <span className="text-muted-foreground">{alerts.collected_at ? "No duplicate guest IPs." : "No snapshot yet."}</span>
        ) : (
          <Link href="/it/drift" className="flex flex-wrap items-center gap-2">
            <Badge variant="destructive">{dups.length}</Badge> duplicate guest IP{dups.length === 1 ? "" : "s"}:
            <span className="font-mono text-xs">{dups.map((d) => `${d.ip} (${d.vmids.join(", ")})`).join("; ")}</span>
          </Link>
        )}
      </CardContent>
    </Card>
  );
}
