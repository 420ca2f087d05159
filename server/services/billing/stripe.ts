import { and, eq, notInArray, sql } from "drizzle-orm";
import {
  billingInvoices,
  billingLicences,
  billingOrgs,
  billingPayments,
  billingSkus,
  billingStripeEvents,
  billingStripeObjects,
  type BillingInvoiceRow,
} from "@/drizzle/schema";
import { classifyPayment, computeDue, deriveStatus, matchStripeMoney } from "@/lib/billing/ledger";
import { STRIPE_QUEUE } from "@/lib/jobs/keys";
import {
  isEventNewer,
  isHandledEventType,
  planEntitlements,
  listInvoicePaymentIntents,
  stripeChargeSchema,
  stripeCreditNoteSchema,
  stripeEventSchema,
  stripeInvoiceSchema,
  stripeSubscriptionSchema,
  type StripeEventInput,
} from "@/lib/billing/stripe-events";
import { AppError } from "@/lib/errors";
import type { StripeEventsApi } from "@/server/connectors/stripe/client";
import type { Db, Tx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";

const STRIPE_ACTOR: Actor = { id: "system:stripe" };

/** The types "re-sync from Stripe" asks for: the ones we apply. */
export const HANDLED_EVENT_TYPES = [
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
  "credit_note.created",
] as const;

export interface AcceptResult {
  eventId: string;
  isDuplicate: boolean;
  isIgnored: boolean;
}

/**
 * Stores a verified event and queues its application, in one transaction. The id's primary key
 * with ON CONFLICT DO NOTHING is the dedup: a replay (captured body resent inside the signature
 * window) or Stripe's retry inserts nothing and queues nothing. Types we do not act on are stored
 * as `ignored` (acknowledged and visible) without a job.
 */
export async function acceptStripeEvent(db: Db, event: StripeEventInput): Promise<AcceptResult> {
  const isHandled = isHandledEventType(event.type);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(billingStripeEvents)
      .values({
        id: event.id,
        type: event.type,
        objectId: event.data.object.id ?? null,
        created: new Date(event.created * 1000),
        payload: event,
        status: isHandled ? "received" : "ignored",
        note: isHandled ? null : "event type not used by Sankofa IT",
        processedAt: isHandled ? null : new Date(),
      })
      .onConflictDoNothing({ target: billingStripeEvents.id })
      .returning({ id: billingStripeEvents.id });
    if (!inserted.length) return { eventId: event.id, isDuplicate: true, isIgnored: !isHandled };
    if (isHandled) await enqueueJob(tx, "apply-stripe-event", { eventId: event.id }, { queueName: STRIPE_QUEUE, maxAttempts: 10 });
    return { eventId: event.id, isDuplicate: false, isIgnored: !isHandled };
  });
}

/**
 * Applies a stored event once: the event row is locked and must still be `received`, so a job run
 * twice changes nothing the second time. An event older than the last one applied to its object
 * is marked `stale` (Stripe delivers out of order; lesson 1 of ../shared/reference/billing.md).
 * Its effect, the object's last-applied mark, the event's status and the audit row commit together.
 */
export async function applyStripeEvent(db: Db, eventId: string): Promise<{ status: string; note: string | null }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(billingStripeEvents).where(eq(billingStripeEvents.id, eventId)).for("update");
    if (!row) throw new AppError("NOT_FOUND", `Stripe event ${eventId} is not stored`);
    if (row.status !== "received") return { status: row.status, note: row.note };
    const event = stripeEventSchema.parse(row.payload);
    const objectId = event.data.object.id;
    if (!objectId) return finish(tx, row.id, "failed", "the event's object has no id");
    // Lock the object's mark (creating it if new) so its check and its update are one step.
    const [last] = await tx.select().from(billingStripeObjects).where(eq(billingStripeObjects.objectId, objectId)).for("update");
    const incoming = { created: row.created, type: row.type };
    if (!isEventNewer(last ? { created: last.lastEventCreated, type: last.lastEventType } : undefined, incoming))
      return finish(tx, row.id, "stale", `older than ${last!.lastEventId} (${last!.lastEventType}), already applied to ${objectId}`);

    const outcome = row.type.startsWith("customer.subscription.")
      ? await applySubscription(tx, event)
      : row.type === "charge.refunded"
        ? await applyRefund(tx, event)
        : row.type === "credit_note.created"
          ? await applyStripeCreditNote(tx, event)
          : await applyInvoice(tx, event);
    if (outcome.status === "needs_look") {
      // Stored, shown to finance with the reason, and nothing else: no invoice changed.
      await writeAudit(tx, STRIPE_ACTOR, {
        action: "billing.stripe.needs_look",
        entityType: "stripe_object",
        entityId: objectId,
        after: { eventId: row.id, type: row.type, reason: outcome.note },
      });
      return finish(tx, row.id, "needs_look", outcome.note);
    }
    if (outcome.status !== "applied") return finish(tx, row.id, outcome.status, outcome.note);
    await tx
      .insert(billingStripeObjects)
      .values({ objectId, lastEventId: row.id, lastEventType: row.type, lastEventCreated: row.created })
      .onConflictDoUpdate({ target: billingStripeObjects.objectId, set: { lastEventId: row.id, lastEventType: row.type, lastEventCreated: row.created } });
    await writeAudit(tx, STRIPE_ACTOR, {
      action: `billing.stripe.${row.type}`,
      entityType: "stripe_object",
      entityId: objectId,
      after: { eventId: row.id, ...outcome.after },
    });
    return finish(tx, row.id, "applied", outcome.note);
  });
}

type Outcome =
  { status: "applied"; note: string | null; after: Record<string, unknown> } | { status: "failed"; note: string } | { status: "needs_look"; note: string };

async function finish(tx: Tx, id: string, status: "applied" | "stale" | "failed" | "needs_look", note: string | null) {
  await tx.update(billingStripeEvents).set({ status, note, processedAt: new Date() }).where(eq(billingStripeEvents.id, id));
  return { status, note };
}

async function applySubscription(tx: Tx, event: StripeEventInput): Promise<Outcome> {
  const parsed = stripeSubscriptionSchema.safeParse(event.data.object);
  if (!parsed.success) return { status: "failed", note: `not a subscription as Stripe documents it: ${parsed.error.issues[0]?.path.join(".")}` };
  const sub = parsed.data;
  const [org] = await tx.select().from(billingOrgs).where(eq(billingOrgs.stripeCustomerId, sub.customer));
  // Failed, not dropped: once the org is linked, "Re-sync from Stripe" applies it again.
  if (!org) return { status: "failed", note: `no org is linked to Stripe customer ${sub.customer}` };
  const plans = planEntitlements(sub, event.type);
  const skipped: string[] = [];
  const written: Array<{ externalRef: string; seatCount: number; status: string }> = [];
  for (const plan of plans) {
    const [sku] = await tx.select().from(billingSkus).where(eq(billingSkus.stripePriceId, plan.priceId));
    if (!sku) {
      skipped.push(`${plan.externalRef}: no SKU has Stripe price ${plan.priceId}`);
      continue;
    }
    const values = {
      skuId: sku.id,
      orgId: org.id,
      seatCount: plan.seatCount,
      validFrom: plan.validFrom,
      validTo: plan.validTo,
      status: plan.status,
      externalRef: plan.externalRef,
      stripeSubscriptionId: sub.id,
      updatedAt: new Date(),
    };
    await tx.insert(billingLicences).values(values).onConflictDoUpdate({ target: billingLicences.externalRef, set: values });
    written.push({ externalRef: plan.externalRef, seatCount: plan.seatCount, status: plan.status });
  }
  // Items no longer on the subscription end with it.
  const refs = plans.map((p) => p.externalRef);
  await tx
    .update(billingLicences)
    .set({ status: "expired", validTo: new Date(event.created * 1000), updatedAt: new Date() })
    .where(
      and(
        eq(billingLicences.stripeSubscriptionId, sub.id),
        refs.length ? notInArray(billingLicences.externalRef, refs) : undefined,
        notInArray(billingLicences.status, ["expired", "revoked"]),
      ),
    );
  return { status: "applied", note: skipped.length ? skipped.join("; ") : null, after: { subscription: sub.id, org: org.code, licences: written } };
}

/** Our invoice a Stripe invoice speaks of (our id in its metadata, or the Stripe id we recorded), locked, with its org's customer. */
async function findOurInvoice(tx: Tx, stripeInvoiceId: string, metadata?: Record<string, string> | null) {
  const ourId = Number(metadata?.sankofa_invoice_id);
  const [row] = await tx
    .select({ invoice: billingInvoices, customer: billingOrgs.stripeCustomerId })
    .from(billingInvoices)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingInvoices.orgId))
    .where(Number.isInteger(ourId) && ourId > 0 ? eq(billingInvoices.id, ourId) : eq(billingInvoices.stripeInvoiceId, stripeInvoiceId))
    .for("update", { of: billingInvoices });
  return row;
}

const forMatch = (r: { invoice: BillingInvoiceRow; customer: string | null }) => ({ ...r.invoice, orgStripeCustomerId: r.customer });

/**
 * Recomputes an invoice's paid figure (payments less refunds) from its payment rows and its status
 * from that: one rule for every event, whatever order they came in.
 */
async function settleInvoice(tx: Tx, inv: BillingInvoiceRow, paidAtHint: Date | null) {
  const [sums] = await tx
    .select({
      paid: sql<string>`coalesce(sum(${billingPayments.amountMinor}) filter (where ${billingPayments.kind} = 'payment'), 0)`,
      refunded: sql<string>`coalesce(sum(${billingPayments.amountMinor}) filter (where ${billingPayments.kind} = 'refund'), 0)`,
      paidAt: sql<Date | null>`max(${billingPayments.occurredAt}) filter (where ${billingPayments.kind} = 'payment')`,
    })
    .from(billingPayments)
    .where(eq(billingPayments.invoiceId, inv.id));
  const [fresh] = await tx.select().from(billingInvoices).where(eq(billingInvoices.id, inv.id));
  const net = Number(sums!.paid) - Number(sums!.refunded);
  const status = deriveStatus({ status: fresh!.status as "issued" | "paid", totalMinor: fresh!.totalMinor, creditedMinor: fresh!.creditedMinor }, net);
  const paidAt = status === "paid" ? (sums!.paidAt ? new Date(sums!.paidAt) : paidAtHint) : null;
  await tx.update(billingInvoices).set({ paidMinor: net, status, paidAt, updatedAt: new Date() }).where(eq(billingInvoices.id, inv.id));
  return { status, paidMinor: net };
}

async function applyInvoice(tx: Tx, event: StripeEventInput): Promise<Outcome> {
  const parsed = stripeInvoiceSchema.safeParse(event.data.object);
  if (!parsed.success) return { status: "failed", note: `not an invoice as Stripe documents it: ${parsed.error.issues[0]?.path.join(".")}` };
  const inv = parsed.data;
  const ours = await findOurInvoice(tx, inv.id, inv.metadata);
  if (!ours) return { status: "needs_look", note: `no invoice here matches Stripe invoice ${inv.id}` };
  const amount = event.type === "invoice.paid" ? inv.amount_paid : 0;
  const verdict = matchStripeMoney(forMatch(ours), { customer: inv.customer, currency: inv.currency, amountMinor: amount }, "payment");
  if (!verdict.ok) return { status: "needs_look", note: `Stripe invoice ${inv.id}: ${verdict.reason}` };
  if (ours.invoice.stripeInvoiceId && ours.invoice.stripeInvoiceId !== inv.id)
    return { status: "needs_look", note: `invoice ${ours.invoice.id} is already linked to Stripe invoice ${ours.invoice.stripeInvoiceId}, not ${inv.id}` };
  const now = new Date();
  if (event.type === "invoice.paid") {
    // Stripe's own time of payment; the event's `created` only if Stripe gave none (a guess: it always does for a paid invoice).
    const paidAt = new Date((inv.status_transitions?.paid_at ?? event.created) * 1000);
    const due = computeDue(ours.invoice);
    const match = classifyPayment(due, amount);
    const intent = listInvoicePaymentIntents(inv)[0] ?? null;
    // amount_paid is the Stripe invoice's total paid so far: the row holds the latest figure, never a sum of deliveries.
    await tx
      .insert(billingPayments)
      .values({
        invoiceId: ours.invoice.id,
        kind: "payment",
        stripeObjectId: inv.id,
        stripeEventId: event.id,
        amountMinor: amount,
        currency: ours.invoice.currency,
        match,
        paymentIntent: intent,
        occurredAt: paidAt,
      })
      .onConflictDoUpdate({
        target: [billingPayments.kind, billingPayments.stripeObjectId],
        set: {
          amountMinor: sql`greatest(${billingPayments.amountMinor}, excluded.amount_minor)`,
          match,
          stripeEventId: event.id,
          occurredAt: paidAt,
          paymentIntent: intent,
        },
      });
    await tx.update(billingInvoices).set({ stripeInvoiceId: inv.id, updatedAt: now }).where(eq(billingInvoices.id, ours.invoice.id));
    const settled = await settleInvoice(tx, ours.invoice, paidAt);
    return {
      status: "applied",
      note: match === "exact" ? null : `${match} payment: ${amount} paid, ${due} due`,
      after: { invoice: ours.invoice.id, match, amountMinor: amount, dueMinor: due, ...settled, paidAt: paidAt.toISOString() },
    };
  }
  // payment_failed: the invoice stays issued (it is still owed); the failure is recorded for finance.
  await tx
    .update(billingInvoices)
    .set({ paymentFailedAt: new Date(event.created * 1000), stripeInvoiceId: inv.id, updatedAt: now })
    .where(eq(billingInvoices.id, ours.invoice.id));
  return { status: "applied", note: null, after: { invoice: ours.invoice.id, paymentFailed: true } };
}

/** `charge.refunded`: the charge's cumulative `amount_refunded`, booked against the invoice its payment paid. */
async function applyRefund(tx: Tx, event: StripeEventInput): Promise<Outcome> {
  const parsed = stripeChargeSchema.safeParse(event.data.object);
  if (!parsed.success) return { status: "failed", note: `not a charge as Stripe documents it: ${parsed.error.issues[0]?.path.join(".")}` };
  const ch = parsed.data;
  let invoiceId: number | undefined;
  if (ch.invoice) invoiceId = (await tx.select({ id: billingInvoices.id }).from(billingInvoices).where(eq(billingInvoices.stripeInvoiceId, ch.invoice)))[0]?.id;
  if (invoiceId === undefined && ch.payment_intent)
    invoiceId = (
      await tx
        .select({ id: billingPayments.invoiceId })
        .from(billingPayments)
        .where(and(eq(billingPayments.kind, "payment"), eq(billingPayments.paymentIntent, ch.payment_intent)))
    )[0]?.id;
  if (invoiceId === undefined)
    return { status: "needs_look", note: `refund on charge ${ch.id}: no payment recorded here for ${ch.payment_intent ?? ch.invoice ?? "its payment"}` };
  const [ours] = await tx
    .select({ invoice: billingInvoices, customer: billingOrgs.stripeCustomerId })
    .from(billingInvoices)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingInvoices.orgId))
    .where(eq(billingInvoices.id, invoiceId))
    .for("update", { of: billingInvoices });
  const verdict = matchStripeMoney(forMatch(ours!), { customer: ch.customer ?? "(none)", currency: ch.currency, amountMinor: ch.amount_refunded }, "refund");
  if (!verdict.ok) return { status: "needs_look", note: `charge ${ch.id}: ${verdict.reason}` };
  const at = new Date(event.created * 1000);
  await tx
    .insert(billingPayments)
    .values({
      invoiceId: ours!.invoice.id,
      kind: "refund",
      stripeObjectId: ch.id,
      stripeEventId: event.id,
      amountMinor: ch.amount_refunded,
      currency: ours!.invoice.currency,
      paymentIntent: ch.payment_intent ?? null,
      occurredAt: at,
    })
    .onConflictDoUpdate({
      target: [billingPayments.kind, billingPayments.stripeObjectId],
      set: { amountMinor: sql`greatest(${billingPayments.amountMinor}, excluded.amount_minor)`, stripeEventId: event.id },
    });
  const settled = await settleInvoice(tx, ours!.invoice, null);
  return { status: "applied", note: null, after: { invoice: ours!.invoice.id, refundedMinor: ch.amount_refunded, ...settled } };
}

/** `credit_note.created`: Stripe's credit note takes its amount off the invoice, bounded like ours. */
async function applyStripeCreditNote(tx: Tx, event: StripeEventInput): Promise<Outcome> {
  const parsed = stripeCreditNoteSchema.safeParse(event.data.object);
  if (!parsed.success) return { status: "failed", note: `not a credit note as Stripe documents it: ${parsed.error.issues[0]?.path.join(".")}` };
  const cn = parsed.data;
  const ours = await findOurInvoice(tx, cn.invoice, null);
  if (!ours) return { status: "needs_look", note: `credit note ${cn.id}: no invoice here is Stripe invoice ${cn.invoice}` };
  const verdict = matchStripeMoney(forMatch(ours), { customer: cn.customer, currency: cn.currency, amountMinor: cn.amount }, "credit note");
  if (!verdict.ok) return { status: "needs_look", note: `credit note ${cn.id}: ${verdict.reason}` };
  const [already] = await tx
    .select()
    .from(billingPayments)
    .where(and(eq(billingPayments.kind, "credit_note"), eq(billingPayments.stripeObjectId, cn.id)));
  if (already) return { status: "applied", note: "already recorded", after: { invoice: ours.invoice.id, creditNote: cn.id } };
  const left = computeDue(ours.invoice);
  if (cn.amount > left)
    return { status: "needs_look", note: `credit note ${cn.id} of ${cn.amount} is more than the ${left} left on invoice ${ours.invoice.id}` };
  await tx.insert(billingPayments).values({
    invoiceId: ours.invoice.id,
    kind: "credit_note",
    stripeObjectId: cn.id,
    stripeEventId: event.id,
    amountMinor: cn.amount,
    currency: ours.invoice.currency,
    occurredAt: new Date(cn.created * 1000),
  });
  await tx
    .update(billingInvoices)
    .set({ creditedMinor: sql`${billingInvoices.creditedMinor} + ${cn.amount}`, updatedAt: new Date() })
    .where(eq(billingInvoices.id, ours.invoice.id));
  const settled = await settleInvoice(tx, ours.invoice, null);
  return { status: "applied", note: null, after: { invoice: ours.invoice.id, creditNote: cn.id, creditedMinor: cn.amount, ...settled } };
}

/**
 * "Re-sync from Stripe": lists the events of the last `days` (Stripe keeps 30) and accepts each
 * one we have not stored, exactly as if it had been delivered; events that failed here before (no
 * org linked to the customer yet, no SKU for a price) are queued again. The list is read before
 * any write.
 */
export async function resyncFromStripe(db: Db, actor: Actor, api: StripeEventsApi, opts: { days?: number; now?: Date } = {}) {
  const days = Math.min(opts.days ?? 30, 30);
  const since = Math.floor((opts.now ?? new Date()).getTime() / 1000) - days * 86_400;
  const listed = await api.listEventsSince(since, HANDLED_EVENT_TYPES);
  let added = 0;
  for (const raw of listed) {
    const event = stripeEventSchema.safeParse(raw);
    if (!event.success) continue;
    if (!(await acceptStripeEvent(db, event.data)).isDuplicate) added++;
  }
  const retried = await db.transaction(async (tx) => {
    const again = await tx
      .update(billingStripeEvents)
      .set({ status: "received", processedAt: null })
      .where(eq(billingStripeEvents.status, "failed"))
      .returning({ id: billingStripeEvents.id });
    for (const e of again) await enqueueJob(tx, "apply-stripe-event", { eventId: e.id }, { queueName: STRIPE_QUEUE, maxAttempts: 10 });
    await writeAudit(tx, actor, {
      action: "billing.stripe.resync",
      entityType: "stripe",
      entityId: "events",
      after: { days, listed: listed.length, added, retried: again.length },
    });
    return again.length;
  });
  return { listed: listed.length, added, retried };
}
