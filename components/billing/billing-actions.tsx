"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent, ReactNode } from "react";
import { fieldError } from "@/components/switches/error-text";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";

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

export function InvoiceStatusButtons({ id, status, orgCode, total }: { id: number; status: string; orgCode?: string; total?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const opts = { onSuccess: () => router.refresh() };
  const issue = useMutation(trpc.billing.issueInvoice.mutationOptions(opts));
  const voidIt = useMutation(trpc.billing.voidInvoice.mutationOptions(opts));
  return (
    <span className="inline-flex items-center gap-2">
      {status === "draft" && (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="outline" aria-label={`Issue invoice ${id}`}>
              Issue
            </Button>
          }
          title={`Issue invoice ${id}?`}
          description="An issued invoice is final: from then on it can only be voided or credited."
          confirmLabel={`Issue invoice ${id}`}
          onConfirm={() => issue.mutateAsync({ id })}
        >
          <ChangeLine label="status" before="draft" after="issued" />
          {orgCode && <ChangeLine label="organisation" before={orgCode} />}
          {total && <ChangeLine label="total" before={total} />}
        </ConfirmDialog>
      )}
      {(status === "draft" || status === "issued") && (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="ghost" aria-label={`Void invoice ${id}`}>
              Void
            </Button>
          }
          title={`Void invoice ${id}?`}
          description="A void invoice is owed by nobody and stays in the ledger. One that was paid or credited cannot be voided: issue a credit note instead."
          confirmLabel={`Void invoice ${id}`}
          isDestructive
          onConfirm={() => voidIt.mutateAsync({ id })}
        >
          <ChangeLine label="status" before={status} after="void" />
          {orgCode && <ChangeLine label="organisation" before={orgCode} />}
          {total && <ChangeLine label="amount owed" before={total} after="0" />}
        </ConfirmDialog>
      )}
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
          {resync.data.listed} listed, {resync.data.added} new, {resync.data.retried} failed ones queued again
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

export function RevokeLicenceButton({ licenceId, sku, holders }: { licenceId: number; sku?: string; holders?: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const revoke = useMutation(trpc.billing.revokeLicence.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span className="inline-flex items-center gap-2">
      <ConfirmDialog
        trigger={
          <Button size="sm" variant="ghost" aria-label={`Revoke licence ${licenceId}`}>
            Revoke
          </Button>
        }
        title={`Revoke licence ${licenceId}?`}
        description="The licence ends now: it is billed no further and its seats are freed."
        confirmLabel={`Revoke licence ${licenceId}`}
        isDestructive
        onConfirm={() => revoke.mutateAsync({ licenceId })}
      >
        <ChangeLine label="status" before="active" after="revoked" />
        {sku && <ChangeLine label="SKU" before={sku} />}
        {holders && <ChangeLine label="seat holders losing it" before={holders.length ? holders.join(", ") : "none"} />}
      </ConfirmDialog>
    </span>
  );
}

export function ChangeSeatsForm({ licenceId, seatCount }: { licenceId: number; seatCount: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const change = useMutation(trpc.billing.updateSeats.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    change.mutate({ licenceId, seatCount: Number(new FormData(e.currentTarget).get("seatCount") ?? "") });
  }
  return (
    <form onSubmit={onSubmit} className="flex items-end gap-2" aria-label={`Change the seats of licence ${licenceId}`}>
      <FormField name="seatCount" label="Seats" type="number" min={0} defaultValue={seatCount} className="w-24" error={fieldError(change.error, "seatCount")} />
      <Button type="submit" size="sm" variant="outline" disabled={change.isPending}>
        Change
      </Button>
      {!fieldError(change.error, "seatCount") && <Failure error={change.error} />}
    </form>
  );
}

export function CreateOrgForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.billing.createOrg.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    create.mutate({ code: String(d.get("code") ?? ""), name: String(d.get("name") ?? ""), stripeCustomerId: String(d.get("stripeCustomerId") ?? "") || null });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Add an org">
      <FormField name="code" label="Code" placeholder="acme" required className="w-36" error={fieldError(create.error, "code")} />
      <FormField name="name" label="Name" required className="w-56" error={fieldError(create.error, "name")} />
      <FormField name="stripeCustomerId" label="Stripe customer" placeholder="cus_…" className="w-44" error={fieldError(create.error, "stripeCustomerId")} />
      <Button type="submit" size="sm" disabled={create.isPending}>
        Add org
      </Button>
      <Failure error={create.error && !create.error.data?.field ? create.error : null} />
    </form>
  );
}

const SKU_FIELDS = ["code", "name", "externalSkuId", "stripePriceId", "unit", "unitPriceMinor", "currency", "meter", "grantsGroup"] as const;

export function CreateSkuForm({ meters }: { meters: readonly string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.billing.createSku.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const s = (k: string) => String(d.get(k) ?? "").trim();
    const meter = meters.find((m) => m === s("meter")) as Parameters<typeof create.mutate>[0]["meter"];
    create.mutate({
      code: s("code"),
      name: s("name"),
      kind: meter ? "infra" : "licence",
      externalSkuId: s("externalSkuId"),
      stripePriceId: s("stripePriceId") || null,
      unit: s("unit"),
      unitPriceMinor: Number(s("unitPriceMinor")),
      currency: s("currency"),
      meter: meter ?? null,
      grantsGroup: s("grantsGroup") || null,
    });
  }
  const err = (f: string) => fieldError(create.error, f);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Add a SKU">
      <FormField name="code" label="Code" placeholder="win-std" required className="w-32" error={err("code")} />
      <FormField name="name" label="Name" required className="w-48" error={err("name")} />
      <FormField name="externalSkuId" label="Marketplace SKU id" required className="w-40" error={err("externalSkuId")} />
      <FormField name="stripePriceId" label="Stripe price" placeholder="price_…" className="w-36" error={err("stripePriceId")} />
      <FormField name="unit" label="Unit" placeholder="seat-month" required className="w-32" error={err("unit")} />
      <FormField name="unitPriceMinor" label="Price (minor units)" type="number" min={0} required className="w-32" error={err("unitPriceMinor")} />
      <FormField name="currency" label="Currency" placeholder="EUR" required maxLength={3} className="w-20" error={err("currency")} />
      <div className="grid gap-1.5">
        <label htmlFor="meter" className="text-sm font-medium">
          Meters
        </label>
        <select id="meter" name="meter" className="h-9 rounded-md border px-2 text-sm" defaultValue="">
          <option value="">nothing (a licence)</option>
          {meters.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      <FormField name="grantsGroup" label="Grants Keycloak group" placeholder="/sankofa-…" className="w-44" error={err("grantsGroup")} />
      <Button type="submit" size="sm" disabled={create.isPending}>
        Add SKU
      </Button>
      <Failure error={create.error && !SKU_FIELDS.some((f) => err(f)) ? create.error : null} />
    </form>
  );
}

export function CreateLicenceForm({ skus, orgs }: { skus: Array<{ id: number; name: string }>; orgs: Array<{ id: number; code: string }> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.billing.createLicence.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const s = (k: string) => String(d.get(k) ?? "").trim();
    create.mutate({
      skuId: Number(s("skuId")),
      orgId: Number(s("orgId")),
      project: s("project") || null,
      seatCount: Number(s("seatCount")),
      validFrom: new Date(`${s("validFrom")}T00:00:00Z`),
      validTo: s("validTo") ? new Date(`${s("validTo")}T00:00:00Z`) : null,
    });
  }
  const select = (name: string, label: string, options: Array<{ value: number; label: string }>) => (
    <div className="grid gap-1.5">
      <label htmlFor={name} className="text-sm font-medium">
        {label}
      </label>
      <select id={name} name={name} required className="h-9 rounded-md border px-2 text-sm">
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Grant a licence">
      {select(
        "orgId",
        "Org",
        orgs.map((o) => ({ value: o.id, label: o.code })),
      )}
      {select(
        "skuId",
        "SKU",
        skus.map((s) => ({ value: s.id, label: s.name })),
      )}
      <FormField name="project" label="Project (optional)" className="w-36" />
      <FormField name="seatCount" label="Seats" type="number" min={0} required className="w-24" error={fieldError(create.error, "seatCount")} />
      <FormField name="validFrom" label="Valid from (UTC)" type="date" required className="w-40" />
      <FormField name="validTo" label="Valid to (UTC)" type="date" className="w-40" error={fieldError(create.error, "validTo")} />
      <Button type="submit" size="sm" disabled={create.isPending || !orgs.length || !skus.length}>
        Grant
      </Button>
      <Failure error={create.error && !create.error.data?.field ? create.error : null} />
    </form>
  );
}
