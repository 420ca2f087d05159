"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";

export function ApplyAllPanel({ canStart }: { canStart: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const progress = useQuery({
    ...trpc.switches.applyAllProgress.queryOptions(),
    refetchInterval: (q) => (q.state.data && !q.state.data.isFinished ? 1_000 : false),
  });
  const start = useMutation(
    trpc.switches.applyAll.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.switches.applyAllProgress.queryKey() }) }),
  );
  const p = progress.data;
  return (
    <div className="mb-4 flex items-center gap-4 text-sm" data-testid="apply-all">
      {canStart && (
        <Button variant="outline" disabled={start.isPending} onClick={() => start.mutate()}>
          Apply All
        </Button>
      )}
      {p && (
        <span>
          Apply All #{p.run.id} {p.isFinished ? "finished" : "running"}: {p.done} done, {p.failed} failed, {p.total} switches
          {start.data?.isJoined ? " (joined the run already going)" : ""}
        </span>
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
    </div>
  );
}
