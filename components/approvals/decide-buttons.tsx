"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * Approving sends the digest of what was shown: a state that moved since is shown again, never
 * applied unseen. The dialog shows the difference the server computed for the list (`lines`), the
 * same one the approval is checked against.
 */
export function DecideButtons({ id, digest, lines, summary }: { id: number; digest?: string; lines?: string[]; summary?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const decide = useMutation(trpc.approvals.decide.mutationOptions({ onSuccess: () => router.refresh() }));
  const difference = (
    <ul className="font-mono text-xs" data-testid={`approval-${id}-difference`}>
      {(lines ?? (summary ? summary.split("\n") : [])).map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
  return (
    <span className="inline-flex items-center gap-2">
      <ConfirmDialog
        trigger={<Button size="sm">Approve</Button>}
        title={`Approve request #${id}?`}
        description="Approving applies this difference now. If the state moved since it was shown, nothing is applied and the new difference is shown instead."
        confirmLabel={`Approve #${id}`}
        onConfirm={() => decide.mutateAsync({ id, decision: "approve", digest })}
      >
        {difference}
      </ConfirmDialog>
      <ConfirmDialog
        trigger={
          <Button size="sm" variant="outline">
            Reject
          </Button>
        }
        title={`Reject request #${id}?`}
        description="Nothing of this is applied; whoever asked sees it rejected and may ask again."
        confirmLabel={`Reject #${id}`}
        isDestructive
        onConfirm={() => decide.mutateAsync({ id, decision: "reject" })}
      >
        {difference}
      </ConfirmDialog>
      {decide.data?.reasked && (
        <span className="text-xs text-amber-700 dark:text-amber-400" data-testid={`approval-${id}-reasked`}>
          {decide.data.reasked.why}
        </span>
      )}
    </span>
  );
}
