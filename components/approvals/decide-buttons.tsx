"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";

/** Approving sends the digest of what was shown: a state that moved since is shown again, never applied unseen. */
export function DecideButtons({ id, digest }: { id: number; digest?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const decide = useMutation(trpc.approvals.decide.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" onClick={() => decide.mutate({ id, decision: "approve", digest })} disabled={decide.isPending}>
        Approve
      </Button>
      <Button size="sm" variant="outline" onClick={() => decide.mutate({ id, decision: "reject" })} disabled={decide.isPending}>
        Reject
      </Button>
      <ErrorText error={decide.error} className="text-xs" />
      {decide.data?.reasked && (
        <span className="text-xs text-amber-600" data-testid={`approval-${id}-reasked`}>
          {decide.data.reasked.why}
        </span>
      )}
    </span>
  );
}
