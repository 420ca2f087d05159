"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/components/trpc/client";
import { ErrorText } from "@/components/ui/error-text";

export function RetryJobButton({ jobId }: { jobId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const retry = useMutation(trpc.jobs.retry.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="flex items-center gap-2">
      <Button size="sm" variant="outline" disabled={retry.isPending} onClick={() => retry.mutate({ jobId })}>
        Retry
      </Button>
      <ErrorText error={retry.error} className="text-xs" />
    </span>
  );
}
