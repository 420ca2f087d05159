import { and, eq, notInArray } from "drizzle-orm";
import { billingInvoices, billingLicences, billingOrgs, billingSkus, billingStripeEvents, billingStripeObjects } from "@/drizzle/schema";
import { STRIPE_QUEUE } from "@/lib/jobs/keys";
import {
  isEventNewer,
  isHandledEventType,
  planEntitlements,
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

    const outcome = row.type.startsWith("customer.subscription.") ? await applySubscription(tx, event) : await applyInvoice(tx, event);
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

type Outcome = { status: "applied"; note: string | null; after: Record<string, unknown> } | { status: "failed"; note: string };

async function finish(tx: Tx, id: string, status: "applied" | "stale" | "failed", note: string | null) {
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

async function applyInvoice(tx: Tx, event: StripeEventInput): Promise<Outcome> {
  const parsed = stripeInvoiceSchema.safeParse(event.data.object);
  if (!parsed.success) return { status: "failed", note: "not an invoice as Stripe documents it" };
  const inv = parsed.data;
  const ourId = Number(inv.metadata?.sankofa_invoice_id);
  const [ours] = await tx
    .select()
    .from(billingInvoices)
    .where(Number.isInteger(ourId) && ourId > 0 ? eq(billingInvoices.id, ourId) : eq(billingInvoices.stripeInvoiceId, inv.id))
    .for("update");
  if (!ours) return { status: "failed", note: `no invoice here matches Stripe invoice ${inv.id}` };
  const now = new Date();
  if (event.type === "invoice.paid") {
    if (ours.status === "void") return { status: "failed", note: `invoice ${ours.id} is void; Stripe says ${inv.id} was paid: finance must look` };
    await tx
      .update(billingInvoices)
      .set({ status: "paid", paidAt: new Date(event.created * 1000), stripeInvoiceId: inv.id, updatedAt: now })
      .where(eq(billingInvoices.id, ours.id));
    return { status: "applied", note: null, after: { invoice: ours.id, status: "paid" } };
  }
  // payment_failed: the invoice stays issued (it is still owed); the failure is recorded for finance.
  await tx
    .update(billingInvoices)
    .set({ paymentFailedAt: new Date(event.created * 1000), stripeInvoiceId: inv.id, updatedAt: now })
    .where(eq(billingInvoices.id, ours.id));
  return { status: "applied", note: null, after: { invoice: ours.id, paymentFailed: true } };
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
