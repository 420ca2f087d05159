import { Time } from "@/components/ui/time";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { VlanForm } from "@/components/ipam/ipam-editing";
import { MovePicture } from "@/components/vlans/move-picture";
import { EditMoveForm, MoveStatusActions, PlanMoveForm } from "@/components/vlans/move-actions";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "VLANs" };

const STATUS_BADGE = { planned: "outline", ready: "success", blocked: "destructive", in_progress: "warning", done: "secondary" } as const;
const STATUS_TEXT = { planned: "planned", ready: "ready", blocked: "blocked", in_progress: "in progress", done: "done" } as const;

export default async function VlansPage() {
  const user = await requirePageAccess("viewer");
  const canEdit = hasAccess(user.roles, "admin");
  const plan = await (await getServerCaller()).vlans.plan();
  return (
    <>
      <PageHeader
        title="VLANs"
        description="Today's VLANs and the planned segments; the migration, host by host, in waves: whether each move may start, and whether a finished one is live."
      />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>VLANs</CardTitle>
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
                <TableHead className="text-right">Moves onto it</TableHead>
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
                  <TableCell className="text-right tabular-nums">{v.movesIn}</TableCell>
                </TableRow>
              ))}
              {plan.vlans.length === 0 && <TableEmpty colSpan={7}>No VLANs in IPAM yet: add them on the IPAM page.</TableEmpty>}
            </TableBody>
          </Table>
          {canEdit && (
            <div className="mt-4">
              <VlanForm />
            </div>
          )}
          <p className="text-muted-foreground mt-3 text-sm">VLANs and prefixes are edited and deleted on the IPAM page.</p>
        </CardContent>
      </Card>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Moves</CardTitle>
          <p className="text-muted-foreground text-sm">
            A move may start (ready) when its target address lies in a prefix on the target VLAN, IPAM holds it for no other host, no other guest answers on it,
            a Proxmox host changing role hosts no guest, and every earlier wave is done. Checked against the live inventory
            {plan.liveCollectedAt ? (
              <>
                {" "}
                of <Time value={plan.liveCollectedAt} precision="minute" />
                {plan.isLiveStale ? " (stale)" : ""}
              </>
            ) : (
              ": none collected yet, so no move can be ready"
            )}
            . A move marked done is checked against the first collection after it.
          </p>
        </CardHeader>
        <CardContent className="grid gap-6">
          <MovePicture moves={plan.moves} vlans={plan.vlans} />
          {canEdit && plan.vlans.length > 0 && <PlanMoveForm vlans={plan.vlans} />}
          {plan.waves.map((w) => (
            <section key={w.wave} aria-label={`Wave ${w.wave}`}>
              <h3 className="mb-2 text-sm font-semibold">
                Wave {w.wave}: {w.name}
              </h3>
              <Table data-testid={`wave-${w.wave}`}>
                <TableHeader>
                  <TableRow>
                    <TableHead>Host</TableHead>
                    <TableHead>Now</TableHead>
                    <TableHead>Target</TableHead>
                    <TableHead>Cutover</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Checks</TableHead>
                    <TableHead />
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {w.moves.map((m) => (
                    <TableRow key={m.id} data-testid={`move-${m.hostname}`}>
                      <TableCell>
                        {m.hostname}
                        {m.vmid ? <span className="text-muted-foreground"> · {m.vmid}</span> : null}
                        <div className="text-muted-foreground text-xs">{m.waveReason}</div>
                        {m.note && <div className="text-xs">{m.note}</div>}
                      </TableCell>
                      <TableCell className="font-mono text-xs">{m.current.map((c) => `${c.address} (VLAN ${c.vid ?? "?"})`).join(", ") || "—"}</TableCell>
                      <TableCell className="font-mono text-xs">
                        {m.targetAddress} (VLAN {m.targetVid})
                      </TableCell>
                      <TableCell className="text-xs">{m.fromRole || m.toRole ? `${m.fromRole ?? "?"} → ${m.toRole ?? "?"}` : ""}</TableCell>
                      <TableCell>
                        <Badge variant={STATUS_BADGE[m.displayStatus]}>{STATUS_TEXT[m.displayStatus]}</Badge>
                        {m.liveCheck && m.liveCheck.state !== "live" && (
                          <div className="mt-1">
                            <Badge variant={m.liveCheck.state === "not-live" ? "destructive" : "outline"}>
                              {m.liveCheck.state === "not-live" ? "not live" : "not checked yet"}
                            </Badge>
                          </div>
                        )}
                      </TableCell>
                      <TableCell className="text-xs">
                        {m.liveCheck
                          ? m.liveCheck.detail
                          : m.blockers.join("; ") || (m.displayStatus === "ready" ? "all checks pass" : m.checks.find((c) => !c.isOk)?.detail)}
                      </TableCell>
                      <TableCell className="text-right">
                        {canEdit && (
                          <div className="grid justify-items-end gap-1">
                            <MoveStatusActions id={m.id} hostname={m.hostname} status={m.status} />
                            <EditMoveForm move={{ ...m, note: m.note ?? null, wave: m.waveOverride, isWaveByHand: m.waveOverride !== null }} />
                          </div>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                  {w.moves.length === 0 && <TableEmpty colSpan={7}>No moves in this wave.</TableEmpty>}
                </TableBody>
              </Table>
            </section>
          ))}
        </CardContent>
      </Card>
    </>
  );
}
