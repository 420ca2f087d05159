"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";

/** Queues a collection, then watches the status until a newer attempt finished and reloads. */
export function RefreshButton({ lastAttemptId }: { lastAttemptId: number | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [isWaiting, setIsWaiting] = useState(false);
  const refresh = useMutation(trpc.inventory.refresh.mutationOptions({ onSuccess: () => setIsWaiting(true) }));
  const status = useQuery({ ...trpc.inventory.status.queryOptions(), enabled: isWaiting, refetchInterval: isWaiting ? 1_500 : false });
  const attempt = status.data?.lastAttempt;
  const isDone = isWaiting && attempt && attempt.id !== lastAttemptId && attempt.status !== "running";
  useEffect(() => {
    if (!isDone) return;
    setIsWaiting(false);
    router.refresh();
  }, [isDone, router]);

  return (
    <div className="flex items-center gap-3 text-sm">
      <Button variant="outline" disabled={refresh.isPending || isWaiting} onClick={() => refresh.mutate()}>
        {isWaiting ? "Collecting…" : "Refresh now"}
      </Button>
      {isWaiting && refresh.data && <span role="status">Job #{refresh.data.jobId} queued; this page reloads when it finishes.</span>}
      <ErrorText error={refresh.error} />
    </div>
  );
}
