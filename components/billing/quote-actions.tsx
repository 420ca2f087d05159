"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldError } from "@/components/switches/error-text";
import { FormField } from "@/components/switches/form-field";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { parseMilli } from "@/lib/billing/money";
import { licencesOnAccept } from "@/lib/billing/quotes";

type Option = { id: number; label: string };

function Failure({ error }: { error: { message: string } | null }) {
  return error ? (
    <span className="text-destructive text-xs" role="alert">
      {error.message}
    </span>
  ) : null;
}

/** A new draft quote: an org, a currency, the last valid day and up to five lines from the catalogue. */
export function CreateQuoteForm({ orgs, skus, defaultValidUntil }: { orgs: Option[]; skus: Array<Option & { currency: string }>; defaultValidUntil: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [lineCount, setLineCount] = useState(1);
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useMutation(trpc.quotes.create.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setLocalError(null);
    try {
      const lines = Array.from({ length: lineCount }, (_, i) => ({
        skuId: Number(form.get(`sku-${i}`)),
        quantityMilli: parseMilli(String(form.get(`quantity-${i}`) ?? ""), "quantity"),
      })).filter((l) => l.skuId > 0);
      create.mutate({
        orgId: Number(form.get("orgId")),
        currency: String(form.get("currency") ?? ""),
        validUntil: String(form.get("validUntil") ?? ""),
        note: String(form.get("note") ?? "") || null,
        lines,
      });
    } catch (err) {
      setLocalError((err as Error).message);
    }
  }
  const select = "h-9 rounded-md border px-2 text-sm";
  return (
    <form onSubmit={onSubmit} className="grid gap-3" aria-label="New quote">
      <div className="flex flex-wrap items-end gap-3">
        <label className="grid gap-1.5 text-sm">
          <span>Organisation</span>
          <select name="orgId" className={select} required>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <FormField name="currency" label="Currency" defaultValue={skus[0]?.currency ?? "EUR"} className="w-24" error={fieldError(create.error, "currency")} />
        <FormField
          name="validUntil"
          label="Valid until (UTC)"
          type="date"
          defaultValue={defaultValidUntil}
          className="w-44"
          error={fieldError(create.error, "validUntil")}
        />
        <FormField name="note" label="Note" className="w-64" />
      </div>
      {Array.from({ length: lineCount }, (_, i) => (
        <div key={i} className="flex flex-wrap items-end gap-3">
          <label className="grid gap-1.5 text-sm">
            <span>Line {i + 1}: SKU</span>
            <select name={`sku-${i}`} className={select} aria-label={`Line ${i + 1} SKU`}>
              {skus.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <FormField name={`quantity-${i}`} label={`Line ${i + 1}: quantity`} defaultValue="1" className="w-28" />
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-2">
        {lineCount < 5 && (
          <Button type="button" size="sm" variant="ghost" onClick={() => setLineCount(lineCount + 1)}>
            Add a line
          </Button>
        )}
        <Button type="submit" size="sm" disabled={create.isPending}>
          Create draft quote
        </Button>
        {localError && (
          <span className="text-destructive text-xs" role="alert">
            {localError}
          </span>
        )}
        {!fieldError(create.error, "currency") && !fieldError(create.error, "validUntil") && <Failure error={create.error} />}
      </div>
    </form>
  );
}

export interface QuoteLineFacts {
  skuCode: string;
  unit: string;
  kind: string;
  quantityMilli: number;
}

/**
 * The moves a quote's status allows: send a draft; accept or decline a sent one. Each asks first,
 * showing the status it moves from and to; Accept also lists the licences it will create (the same
 * `licencesOnAccept` the service creates them by).
 */
export function QuoteStatusButtons({
  id,
  number,
  status,
  orgCode,
  total,
  lines,
}: {
  id: number;
  number: string;
  status: string;
  orgCode: string;
  total: string;
  lines: readonly QuoteLineFacts[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const opts = { onSuccess: () => router.refresh() };
  const send = useMutation(trpc.quotes.send.mutationOptions(opts));
  const accept = useMutation(trpc.quotes.accept.mutationOptions(opts));
  const decline = useMutation(trpc.quotes.decline.mutationOptions(opts));
  const licences = licencesOnAccept(lines);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {status === "draft" && (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="outline" aria-label={`Send quote ${number}`}>
              Mark sent
            </Button>
          }
          title={`Mark quote ${number} sent?`}
          description="Marks the quote as given to the customer: from then on it can be accepted (until its last valid day) or declined."
          confirmLabel={`Mark quote ${number} sent`}
          onConfirm={() => send.mutateAsync({ id })}
        >
          <ChangeLine label="status" before="draft" after="sent" />
          <ChangeLine label="organisation" before={orgCode} />
          <ChangeLine label="total" before={total} />
        </ConfirmDialog>
      )}
      {status === "sent" && (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="outline" aria-label={`Accept quote ${number}`}>
              Accept
            </Button>
          }
          title={`Accept quote ${number}?`}
          description={
            licences.length
              ? `Accepting creates ${licences.length} licence(s) for ${orgCode}, valid from now; metered lines bill by usage.`
              : "No line of this quote is a licence: accepting creates nothing; metered lines bill by usage."
          }
          confirmLabel={`Accept quote ${number}`}
          onConfirm={() => accept.mutateAsync({ id })}
        >
          <ChangeLine label="status" before="sent" after="accepted" />
          <ChangeLine label="total" before={total} />
          {licences.map((l, i) => (
            <ChangeLine key={i} label={`new licence: ${l.skuCode}`} after={`${l.seats} ${l.unit}(s)`} />
          ))}
        </ConfirmDialog>
      )}
      {(status === "draft" || status === "sent") && (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="ghost" aria-label={`Decline quote ${number}`}>
              Decline
            </Button>
          }
          title={`Decline quote ${number}?`}
          description="A declined quote is final: it cannot be sent or accepted again (draft a new one instead)."
          confirmLabel={`Decline quote ${number}`}
          isDestructive
          onConfirm={() => decline.mutateAsync({ id })}
        >
          <ChangeLine label="status" before={status} after="declined" />
          <ChangeLine label="organisation" before={orgCode} />
          <ChangeLine label="total" before={total} />
        </ConfirmDialog>
      )}
    </span>
  );
}
