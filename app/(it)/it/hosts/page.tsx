import { Time } from "@/components/ui/time";
import { CapacityHistoryCharts } from "@/components/inventory/capacity-history-chart";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { FilterInput } from "@/components/ui/filter-fields";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { computeCapacitySeries } from "@/lib/inventory/capacity-history";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";
import { formatBytes, NetworkList, StorageTable } from "./host-details";

export const metadata = { title: "Hosts" };

const GiB = 2 ** 30;
const gib = (b: number) => `${Math.round(b / GiB)} GiB`;
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A bar: allocated against capacity (may pass 100%: overcommit), with live use marked. */
function Bar({
  label,
  total,
  allocated,
  used,
  format,
}: {
  label: string;
  total: number;
  allocated: number;
  used: number | null;
  format: (n: number) => string;
}) {
  const scale = Math.max(total, allocated, used ?? 0) || 1;
  const isOver = allocated > total;
  return (
    <div className="grid gap-1" aria-label={`${label}: ${format(allocated)} allocated of ${format(total)}${used !== null ? `, ${format(used)} used` : ""}`}>
      <div className="flex justify-between text-xs">
        <span>{label}</span>
        <span className={isOver ? "text-destructive" : "text-muted-foreground"}>
          {format(allocated)} given / {format(total)}
          {used !== null ? ` · ${format(used)} used` : ""}
        </span>
      </div>
      <div className="bg-muted relative h-3 overflow-hidden rounded">
        <div className={`absolute inset-y-0 left-0 ${isOver ? "bg-destructive/60" : "bg-primary/40"}`} style={{ width: `${(100 * allocated) / scale}%` }} />
        {used !== null && (
          <div className="bg-primary absolute inset-y-0 left-0 opacity-80" style={{ width: `${(100 * used) / scale}%`, height: "40%", top: "30%" }} />
        )}
        <div className="bg-foreground absolute inset-y-0 w-px" style={{ left: `${(100 * total) / scale}%` }} title="capacity" />
      </div>
    </div>
  );
}

export default async function HostsPage({ searchParams }: { searchParams: Promise<{ cpus?: string; mem?: string; disk?: string }> }) {
  await requirePageAccess("viewer");
  const sp = await searchParams;
  const num = (v: string | undefined) => (v && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);
  const want = num(sp.cpus) && num(sp.mem) ? { cpus: Math.max(1, Math.round(num(sp.cpus)!)), memGiB: num(sp.mem)!, diskGiB: num(sp.disk) ?? 0 } : undefined;
  const api = await getServerCaller();
  const [cap, history] = await Promise.all([api.hosts.capacity({ want }), api.hosts.capacityHistory()]);
  return (
    <>
      <PageHeader
        title="Hosts"
        description="Each Proxmox node's CPU, RAM, storages and NICs: capacity, what guests are given, what they use. Shared storages are counted once for the cluster."
      />
      <p className="mb-4 text-sm">
        {cap.collectedAt ? (
          <>
            From the inventory of <Time value={cap.collectedAt} precision="minute" />{" "}
            {cap.isStale ? <Badge variant="warning">stale</Badge> : <Badge variant="success">current</Badge>}
          </>
        ) : (
          "No inventory collected yet: refresh it on the Drift page."
        )}
      </p>
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Capacity over time</CardTitle>
          <p className="text-muted-foreground text-sm">
            Given to guests (solid) and really used (dashed), as a share of each node&apos;s capacity, one point an hour over two weeks. Recorded with each
            collection since this history was added; earlier collections have none.
          </p>
        </CardHeader>
        <CardContent>
          <CapacityHistoryCharts series={computeCapacitySeries(history)} />
        </CardContent>
      </Card>
      <div className="mb-6 grid gap-4 2xl:grid-cols-2" data-testid="host-cards">
        {cap.nodes.map((n) => (
          <Card key={n.node} id={`host-${n.node}`} data-testid={`host-${n.node}`}>
            <CardHeader>
              <CardTitle className="flex items-center gap-2">
                {n.node} <Badge variant={n.status === "online" ? "secondary" : "destructive"}>{n.status}</Badge>
                <span className="text-muted-foreground text-sm font-normal">
                  {n.runningGuests}/{n.guests} guests running
                </span>
                {n.isMemOvercommitted && <Badge variant="destructive">RAM overcommitted {pct(n.mem.ratio)}</Badge>}
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-3">
              <p className="text-muted-foreground text-sm" data-testid={`cpu-${n.node}`}>
                {n.cpuModel
                  ? `${n.cpuSockets ?? "?"} × ${n.cpuModel} · ${n.cpuCores ?? "?"} cores, ${n.cpu.total} threads`
                  : n.status === "online"
                    ? "CPU model not collected in this snapshot."
                    : "CPU model unknown: the node was not online."}{" "}
                Serial number and system model: not given by the Proxmox API.
              </p>
              <Bar
                label="CPU (vCPUs)"
                total={n.cpu.total}
                allocated={n.cpu.allocated}
                used={n.cpu.used === null ? null : Math.round(n.cpu.used * 10) / 10}
                format={(x) => String(x)}
              />
              <Bar label="RAM" total={n.mem.total} allocated={n.mem.allocated} used={n.mem.used} format={gib} />
              <Bar label="Local storage" total={n.storage.total} allocated={n.storage.allocated} used={n.storage.used} format={formatBytes} />
              <StorageTable rows={n.storages} label={`Storages of ${n.node}`} testId={`storages-${n.node}`} />
              <NetworkList network={n.network} testId={`network-${n.node}`} />
            </CardContent>
          </Card>
        ))}
      </div>
      {cap.sharedStorages.length > 0 && (
        <Card className="mb-6">
          <CardHeader>
            <CardTitle>Shared storages (counted once for the cluster)</CardTitle>
          </CardHeader>
          <CardContent>
            <StorageTable rows={cap.sharedStorages} label="Shared storages" testId="shared-storages" />
          </CardContent>
        </Card>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Where does a new workload fit?</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
            <FilterInput name="cpus" label="vCPUs" defaultValue={sp.cpus ?? "4"} width="w-24" />
            <FilterInput name="mem" label="RAM (GiB)" defaultValue={sp.mem ?? "16"} width="w-24" />
            <FilterInput name="disk" label="Disk (GiB)" defaultValue={sp.disk ?? "100"} width="w-24" />
            <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
              Suggest
            </button>
          </form>
          {cap.placements && (
            <Table data-testid="placements">
              <TableHeader>
                <TableRow>
                  <TableHead>Node (spare first)</TableHead>
                  <TableHead>RAM given after</TableHead>
                  <TableHead>vCPUs given after</TableHead>
                  <TableHead>Local storage after</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {cap.placements.map((p) => (
                  <TableRow key={p.node}>
                    <TableCell>{p.node}</TableCell>
                    <TableCell>{pct(p.memRatioAfter)}</TableCell>
                    <TableCell>{pct(p.cpuRatioAfter)}</TableCell>
                    <TableCell>{pct(p.diskRatioAfter)}</TableCell>
                  </TableRow>
                ))}
                {cap.placements.length === 0 && <TableEmpty colSpan={4}>No online node has the RAM and storage left for it.</TableEmpty>}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </>
  );
}
