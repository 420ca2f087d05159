import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "VLANs" };

const STATUS_BADGE = { ready: "success", blocked: "destructive", done: "secondary", "no-plan": "outline" } as const;

export default async function VlansPage() {
  await requirePageAccess("viewer");
  const plan = await (await getServerCaller()).vlans.plan();
  return (
    <>
      <PageHeader title="VLANs" description="Today's VLANs and the planned segments; which hosts move where, and whether each move may start." />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Plan</CardTitle>
        </CardHeader>
        <CardContent>
          <Table data-testid="vlans-table">
            <TableHeader>
              <TableRow>
                <TableHead>VLAN</TableHead>
                <TableHead>Name</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Prefixes</TableHead>
                <TableHead className="text-right">Active addresses</TableHead>
                <TableHead className="text-right">Planned addresses</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {plan.vlans.map((v) => (
                <TableRow key={v.vid}>
                  <TableCell>{v.vid}</TableCell>
                  <TableCell>
                    {v.name}
                    {v.environment ? <span className="text-muted-foreground"> · {v.environment}</span> : null}
                  </TableCell>
                  <TableCell>
                    <Badge variant={v.status === "current" ? "secondary" : "outline"}>{v.status}</Badge>
                  </TableCell>
                  <TableCell className="font-mono text-xs">{v.prefixes.join(", ") || "—"}</TableCell>
                  <TableCell className="text-right tabular-nums">{v.activeAddresses}</TableCell>
                  <TableCell className="text-right tabular-nums">{v.plannedAddresses}</TableCell>
                </TableRow>
              ))}
              {plan.vlans.length === 0 && (
                <TableEmpty colSpan={6}>No VLANs in IPAM yet: import them as NetBox CSV on the IPAM page (status reserved = planned).</TableEmpty>
              )}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Moves</CardTitle>
          <p className="text-muted-foreground text-sm">
            A host moves when it has a planned address. The move may start only when that address is live on no other guest (checked against the live inventory
            {plan.liveCollectedAt
              ? ` of ${plan.liveCollectedAt.slice(0, 16).replace("T", " ")} UTC${plan.isLiveStale ? ", stale" : ""}`
              : ": none collected yet"}
            ) and lies in a planned VLAN.
          </p>
        </CardHeader>
        <CardContent>
          <Table data-testid="moves-table">
            <TableHeader>
              <TableRow>
                <TableHead>Host</TableHead>
                <TableHead>Now</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Checks</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {plan.hosts.map((h) => (
                <TableRow key={h.host}>
                  <TableCell>{h.host}</TableCell>
                  <TableCell className="font-mono text-xs">{h.current.map((c) => `${c.address} (VLAN ${c.vid ?? "?"})`).join(", ") || "—"}</TableCell>
                  <TableCell className="font-mono text-xs">{h.target.map((t) => `${t.address} (VLAN ${t.vid ?? "?"})`).join(", ") || "—"}</TableCell>
                  <TableCell>
                    <Badge variant={STATUS_BADGE[h.status]}>{h.status}</Badge>
                  </TableCell>
                  <TableCell className="text-xs">{h.problems.join("; ") || (h.status === "ready" ? "all checks pass" : "")}</TableCell>
                </TableRow>
              ))}
              {plan.hosts.length === 0 && <TableEmpty colSpan={5}>No moves planned: give a host a planned address in a planned VLAN's prefix.</TableEmpty>}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
