"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";

/** Queues the UniFi, NPM and node-network collections now (they also run every 15 minutes). */
export function RefreshEdgeButton() {
  const trpc = useTRPC();
  const refresh = useMutation(trpc.ports.refreshEdge.mutationOptions());
  return (
    <span className="inline-flex items-center gap-2 text-sm font-normal">
      <Button size="sm" variant="outline" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
        Collect now
      </Button>
      {refresh.isSuccess && <span role="status">Queued; reload in a moment.</span>}
      {refresh.error && (
        <span className="text-destructive" role="alert">
          {refresh.error.message}
        </span>
      )}
    </span>
  );
}
