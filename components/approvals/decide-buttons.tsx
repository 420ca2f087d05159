"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";

export function DecideButtons({ id }: { id: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const decide = useMutation(trpc.approvals.decide.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" onClick={() => decide.mutate({ id, decision: "approve" })} disabled={decide.isPending}>
        Approve
      </Button>
      <Button size="sm" variant="outline" onClick={() => decide.mutate({ id, decision: "reject" })} disabled={decide.isPending}>
        Reject
      </Button>
      <ErrorText error={decide.error} className="text-xs" />
    </span>
  );
}
