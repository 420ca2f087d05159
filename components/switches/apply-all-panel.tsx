"use client";
import { Time } from "@/components/ui/time";
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { describeSource } from "@/lib/port-security/plan";
import { LeftOutList } from "./port-plan";
import { PushDetail } from "./pushes-table";

const OUTCOME_BADGE = { changed: "success", unchanged: "secondary", failed: "destructive", running: "outline" } as const;

/**
 * Apply All shows before it acts: a preview per switch and port from the same plan the pushes
 * compute (adds, removes, unchanged, and what is left out and why), a confirmation, then per switch
 * changed / unchanged / failed with its push's transcript. Finished runs stay listed.
 */
export function ApplyAllPanel({ canStart }: { canStart: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [isPreviewing, setPreviewing] = useState(false);
  const [openPush, setOpenPush] = useState<number | null>(null);
  const runs = useQuery({
    ...trpc.switches.applyAllRuns.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some((r) => !r.isFinished) ? 1_000 : false),
  });
  const preview = useMutation(trpc.switches.applyAllPreview.mutationOptions());
  const start = useMutation(
    trpc.switches.applyAll.mutationOptions({
      onSuccess: () => {
        setPreviewing(false);
        return queryClient.invalidateQueries({ queryKey: trpc.switches.applyAllRuns.queryKey() });
      },
    }),
  );
  const latest = runs.data?.[0];
  return (
    <div className="mb-4 grid gap-3 text-sm" data-testid="apply-all">
      <div className="flex items-center gap-4">
        {canStart && !isPreviewing && (
          <Button
            variant="outline"
            onClick={() => {
              setPreviewing(true);
              preview.mutate();
            }}
          >
            Apply All…
          </Button>
        )}
        {latest && (
          <span>
            Apply All #{latest.run.id} {latest.isFinished ? "finished" : "running"}: {latest.done} done, {latest.failed} failed, {latest.total} switches
            {start.data?.isJoined ? " (joined the run already going)" : ""}
          </span>
        )}
      </div>
      {isPreviewing && (
        <div className="rounded border p-3" data-testid="apply-all-preview">
          <h3 className="mb-2 font-semibold">Preview: what Apply All would push</h3>
          {preview.isPending && <p>Planning every switch from Tenantos, Proxmox and the VMACs…</p>}
          <ErrorText error={preview.error} />
          {preview.data && (
            <>
              <p className="mb-2">
                {preview.data.totals.adds} to add, {preview.data.totals.removes} to remove, {preview.data.totals.unchanged} unchanged,{" "}
                {preview.data.totals.leftOut} left out
              </p>
              {preview.data.switches.map((sw) => (
                <div key={sw.switchId} className="mb-3" data-testid={`apply-all-preview-${sw.switchName}`}>
                  <h4 className="font-medium">
                    {sw.switchName}{" "}
                    {sw.ports.some((p) => p.isChanged) ? <Badge variant="warning">changes</Badge> : <Badge variant="secondary">unchanged</Badge>}
                  </h4>
                  <Table>
                    <TableHeader>
                      <TableRow>
                        <TableHead>Port</TableHead>
                        <TableHead>Adds</TableHead>
                        <TableHead>Removes</TableHead>
                        <TableHead>Unchanged</TableHead>
                        <TableHead>Left out</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {sw.ports.map((p) => (
                        <TableRow key={p.interface}>
                          <TableCell className="align-top font-mono text-xs">{p.interface}</TableCell>
                          <TableCell className="align-top font-mono text-xs">
                            {p.adds.map((b) => (
                              <div key={b.ip} title={describeSource(b.source)}>
                                + {b.ip} · {b.mac} · {b.vlan}
                              </div>
                            ))}
                          </TableCell>
                          <TableCell className="align-top font-mono text-xs">
                            {p.removes.map((b) => (
                              <div key={`${b.ip}${b.mac}`}>
                                − {b.ip} · {b.mac} · {b.vlan}
                              </div>
                            ))}
                          </TableCell>
                          <TableCell className="align-top text-xs">{p.unknownReason ? `left as it is: ${p.unknownReason}` : p.unchanged.length}</TableCell>
                          <TableCell className="align-top">
                            <LeftOutList leftOut={p.leftOut} flags={p.flags} />
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              ))}
              <div className="flex gap-2">
                <Button disabled={start.isPending} onClick={() => start.mutate()}>
                  Confirm: apply to {preview.data.switches.length} switches
                </Button>
                <Button variant="outline" onClick={() => setPreviewing(false)}>
                  Cancel
                </Button>
              </div>
            </>
          )}
        </div>
      )}
      {start.data?.panelSync && (
        <span className="text-muted-foreground" data-testid="apply-all-panel-sync">
          Tenantos: {start.data.panelSync.known} server ports covered
          {start.data.panelSync.skipped.length > 0 &&
            `, ${start.data.panelSync.skipped.length} skipped (${start.data.panelSync.skipped
              .slice(0, 3)
              .map((s) => `${s.serverId}: ${s.reason}`)
              .join("; ")}${start.data.panelSync.skipped.length > 3 ? "; …" : ""})`}
        </span>
      )}
      <ErrorText error={start.error} />
      {(runs.data ?? []).length > 0 && (
        <Table data-testid="apply-all-runs">
          <TableHeader>
            <TableRow>
              <TableHead>Run</TableHead>
              <TableHead>Per switch</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.data!.map((r) => (
              <TableRow key={r.run.id}>
                <TableCell className="align-top text-xs">
                  #{r.run.id} · {r.run.startedBy} · <Time value={r.run.startedAt} precision="minute" /> · {r.isFinished ? "finished" : "running"}
                </TableCell>
                <TableCell className="text-xs">
                  {r.switches.map((s) => (
                    <div key={s.switchId} data-testid="apply-all-switch">
                      <Link className="underline" href={`/it/switches/${s.switchId}`}>
                        {s.switchName}
                      </Link>{" "}
                      <Badge variant={OUTCOME_BADGE[s.outcome]}>{s.outcome}</Badge>{" "}
                      {s.pushId && (
                        <button type="button" className="underline" onClick={() => setOpenPush(openPush === s.pushId ? null : s.pushId)}>
                          transcript {s.changeId}
                        </button>
                      )}
                      {openPush === s.pushId && s.pushId && <PushDetail id={s.pushId} />}
                    </div>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
