"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent, ReactNode } from "react";
import { fieldError } from "@/components/switches/error-text";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";

function Failure({ error }: { error: { message: string } | null }) {
  return error ? (
    <span className="text-destructive text-xs" role="alert">
      {error.message}
    </span>
  ) : null;
}

function Done({ children }: { children: ReactNode }) {
  return (
    <span className="text-xs" role="status">
      {children}
    </span>
  );
}

export function DraftInvoicesButton({ periodStart, periodEnd }: { periodStart: string; periodEnd: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const draft = useMutation(trpc.billing.draftInvoices.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button size="sm" onClick={() => draft.mutate({ periodStart, periodEnd })} disabled={draft.isPending}>
        Draft invoices for {periodStart.slice(0, 7)}
      </Button>
      {draft.data && (
        <Done>
          {draft.data.drafted.length} drafted, {draft.data.skippedIssued.length} already issued
        </Done>
      )}
      <Failure error={draft.error} />
    </span>
  );
}

export function InvoiceStatusButtons({ id, status }: { id: number; status: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const opts = { onSuccess: () => router.refresh() };
  const issue = useMutation(trpc.billing.issueInvoice.mutationOptions(opts));
  const voidIt = useMutation(trpc.billing.voidInvoice.mutationOptions(opts));
  return (
    <span className="inline-flex items-center gap-2">
      {status === "draft" && (
        <Button size="sm" variant="outline" onClick={() => issue.mutate({ id })} disabled={issue.isPending} aria-label={`Issue invoice ${id}`}>
          Issue
        </Button>
      )}
      {(status === "draft" || status === "issued") && (
        <Button size="sm" variant="ghost" onClick={() => voidIt.mutate({ id })} disabled={voidIt.isPending} aria-label={`Void invoice ${id}`}>
          Void
        </Button>
      )}
      <Failure error={issue.error ?? voidIt.error} />
    </span>
  );
}

export function RecollectUsageForm({ defaultDay }: { defaultDay: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const recollect = useMutation(trpc.billing.recollectUsage.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    recollect.mutate({ day: String(new FormData(e.currentTarget).get("day") ?? "") });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Collect a day again">
      <FormField name="day" label="Day (UTC)" type="date" defaultValue={defaultDay} className="w-44" error={fieldError(recollect.error, "day")} />
      <Button type="submit" size="sm" variant="outline" disabled={recollect.isPending}>
        Collect usage
      </Button>
      {recollect.data && <Done>queued (job {recollect.data.jobId}); reload in a moment</Done>}
      {!fieldError(recollect.error, "day") && <Failure error={recollect.error} />}
    </form>
  );
}

export function ResyncStripeButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const resync = useMutation(trpc.billing.resyncStripe.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" variant="outline" onClick={() => resync.mutate({ days: 30 })} disabled={resync.isPending}>
        Re-sync from Stripe
      </Button>
      {resync.data && (
        <Done>
          {resync.data.listed} listed, {resync.data.added} new
        </Done>
      )}
      <Failure error={resync.error} />
    </span>
  );
}

export function AssignSeatForm({ licenceId }: { licenceId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const assign = useMutation(trpc.billing.assignSeat.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    assign.mutate({ licenceId, holder: String(new FormData(e.currentTarget).get("holder") ?? "") });
  }
  return (
    <form onSubmit={onSubmit} className="flex items-end gap-2" aria-label={`Assign a seat of licence ${licenceId}`}>
      <FormField name="holder" label="Holder" placeholder="user@example.com or server:7" className="w-56" error={fieldError(assign.error, "holder")} />
      <Button type="submit" size="sm" variant="outline" disabled={assign.isPending}>
        Assign
      </Button>
      {!fieldError(assign.error, "holder") && <Failure error={assign.error} />}
    </form>
  );
}

export function RevokeLicenceButton({ licenceId }: { licenceId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.billing.revokeLicence.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" variant="ghost" onClick={() => revoke.mutate({ licenceId })} disabled={revoke.isPending} aria-label={`Revoke licence ${licenceId}`}>
        Revoke
      </Button>
      <Failure error={revoke.error} />
    </span>
  );
}
