import { z } from "zod";

// Stripe's event, subscription and invoice shapes as their API reference documents them:
// https://docs.stripe.com/api/events/object, https://docs.stripe.com/api/subscriptions/object,
// https://docs.stripe.com/api/invoices/object. Only the fields we use are read; the rest pass.
// Since API version 2025-03-31 ("basil") the billing period sits on each subscription item
// (`items.data[].current_period_end`) rather than on the subscription: both are read.

const stamp = z.number().int().nonnegative();

export const stripeEventSchema = z.looseObject({
  id: z.string().regex(/^evt_[A-Za-z0-9_]+$/, "an event id starts evt_"),
  object: z.literal("event"),
  type: z.string().min(1).max(200),
  created: stamp,
  data: z.looseObject({ object: z.looseObject({ id: z.string().optional(), object: z.string().optional() }) }),
});
export type StripeEventInput = z.infer<typeof stripeEventSchema>;

const subscriptionItemSchema = z.looseObject({
  id: z.string(),
  quantity: z.number().int().nonnegative().nullish(),
  price: z.looseObject({ id: z.string() }),
  current_period_start: stamp.nullish(),
  current_period_end: stamp.nullish(),
});

export const stripeSubscriptionSchema = z.looseObject({
  id: z.string().startsWith("sub_"),
  object: z.literal("subscription"),
  customer: z.union([z.string(), z.looseObject({ id: z.string() })]).transform((c) => (typeof c === "string" ? c : c.id)),
  status: z.enum(["incomplete", "incomplete_expired", "trialing", "active", "past_due", "canceled", "unpaid", "paused"]),
  start_date: stamp,
  current_period_end: stamp.nullish(),
  ended_at: stamp.nullish(),
  cancel_at: stamp.nullish(),
  items: z.looseObject({ data: z.array(subscriptionItemSchema) }),
});
export type StripeSubscription = z.infer<typeof stripeSubscriptionSchema>;

const customerRef = z.union([z.string(), z.looseObject({ id: z.string() })]).transform((c) => (typeof c === "string" ? c : c.id));
const idRef = z.union([z.string(), z.looseObject({ id: z.string() })]).transform((c) => (typeof c === "string" ? c : c.id));

/**
 * An invoice as https://docs.stripe.com/api/invoices/object documents it: `customer`, `currency`
 * (lower-case ISO 4217), `amount_paid` (smallest currency unit) and `status_transitions.paid_at`
 * (Unix seconds: when it was paid, which is not the event's `created`). Since API 2025-03-31
 * ("basil") the PaymentIntent is under `payments.data[].payment.payment_intent` (the Invoice
 * Payment object, https://docs.stripe.com/api/invoice-payment/object); older versions put it on
 * `payment_intent`: both are read, to find the invoice a later refund belongs to.
 */
export const stripeInvoiceSchema = z.looseObject({
  id: z.string().startsWith("in_"),
  object: z.literal("invoice"),
  customer: customerRef,
  status: z.string().nullish(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  amount_paid: z.number().int().nonnegative(),
  status_transitions: z.looseObject({ paid_at: stamp.nullish() }).nullish(),
  payment_intent: idRef.nullish(),
  payments: z.looseObject({ data: z.array(z.looseObject({ payment: z.looseObject({ payment_intent: idRef.nullish() }).nullish() })) }).nullish(),
  /** Our invoice's id, when we created the Stripe invoice for it (our guess at the link: metadata). */
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type StripeInvoice = z.infer<typeof stripeInvoiceSchema>;

/** The PaymentIntents that paid a Stripe invoice (either API generation's field). */
export function listInvoicePaymentIntents(inv: StripeInvoice): string[] {
  const fromPayments = (inv.payments?.data ?? []).map((p) => p.payment?.payment_intent).filter((x): x is string => Boolean(x));
  return [...new Set([...(inv.payment_intent ? [inv.payment_intent] : []), ...fromPayments])];
}

/**
 * A charge (https://docs.stripe.com/api/charges/object), as `charge.refunded` carries it:
 * `amount_refunded` is the total refunded so far (cumulative), `currency`, `customer`,
 * `payment_intent`; `invoice` is there in API versions before basil only.
 */
export const stripeChargeSchema = z.looseObject({
  id: z.string().startsWith("ch_"),
  object: z.literal("charge"),
  customer: customerRef.nullish(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  amount_refunded: z.number().int().nonnegative(),
  payment_intent: idRef.nullish(),
  invoice: idRef.nullish(),
  created: stamp,
});
export type StripeCharge = z.infer<typeof stripeChargeSchema>;

/**
 * A credit note (https://docs.stripe.com/api/credit_notes/object): `amount` (total credited, tax
 * included, smallest currency unit), `currency`, `customer`, `invoice`, `created`, `status` (`issued`/`void`).
 */
export const stripeCreditNoteSchema = z.looseObject({
  id: z.string().startsWith("cn_"),
  object: z.literal("credit_note"),
  customer: customerRef,
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  amount: z.number().int().nonnegative(),
  invoice: idRef,
  created: stamp,
  status: z.string().nullish(),
});
export type StripeCreditNote = z.infer<typeof stripeCreditNoteSchema>;

export type SubscriptionEventType = "customer.subscription.created" | "customer.subscription.updated" | "customer.subscription.deleted";

/** The events we act on; any other type is acknowledged and logged as ignored. */
export function isHandledEventType(type: string): boolean {
  return type.startsWith("customer.subscription.")
    ? ["created", "updated", "deleted"].includes(type.slice(22))
    : ["invoice.paid", "invoice.payment_failed", "charge.refunded", "credit_note.created"].includes(type);
}

/**
 * Stripe does not order deliveries, so each event is applied only if it is newer than the last one
 * applied to its object. `created` is whole seconds, so two events of one second are ranked by
 * lifecycle: created < updated/paid/failed < deleted; a deletion is final (Stripe cannot revive a
 * cancelled subscription), so nothing after it applies. Equal rank and second: applied (both came
 * from the same state change burst; the later delivery wins, which is the best the data allows).
 */
export function isEventNewer(last: { created: Date; type: string } | undefined, incoming: { created: Date; type: string }): boolean {
  if (!last) return true;
  if (rank(last.type) === 2) return false;
  const dt = incoming.created.getTime() - last.created.getTime();
  if (dt !== 0) return dt > 0;
  return rank(incoming.type) >= rank(last.type);
}

function rank(type: string): number {
  if (type.endsWith(".created")) return 0;
  if (type.endsWith(".deleted")) return 2;
  return 1;
}

/** `trialing`: live, but Stripe charges nothing in a trial (https://docs.stripe.com/billing/subscriptions/trials). */
export type LicenceStatus = "active" | "trialing" | "past_due" | "expired" | "revoked";

export interface EntitlementPlan {
  externalRef: string;
  priceId: string;
  seatCount: number;
  validFrom: Date;
  validTo: Date | null;
  status: LicenceStatus;
}

/**
 * What a subscription entitles, item by item: one licence per subscription item (`si_…`), seats =
 * quantity. A deleted subscription, or one Stripe marks canceled, expires every item at its end.
 */
export function planEntitlements(sub: StripeSubscription, eventType: string): EntitlementPlan[] {
  const isEnded = eventType === "customer.subscription.deleted" || sub.status === "canceled" || sub.status === "incomplete_expired";
  const status: LicenceStatus = isEnded ? "expired" : mapStatus(sub.status);
  return sub.items.data.map((item) => {
    const periodEnd = item.current_period_end ?? sub.current_period_end ?? null;
    const endedAt = sub.ended_at ?? sub.cancel_at ?? null;
    return {
      externalRef: item.id,
      priceId: item.price.id,
      seatCount: item.quantity ?? 1,
      validFrom: new Date(sub.start_date * 1000),
      validTo: isEnded ? new Date((endedAt ?? periodEnd ?? sub.start_date) * 1000) : periodEnd === null ? null : new Date(periodEnd * 1000),
      status,
    };
  });
}

function mapStatus(s: StripeSubscription["status"]): LicenceStatus {
  if (s === "active") return "active";
  if (s === "trialing") return "trialing";
  // unpaid, past_due, incomplete (first payment pending), paused: the customer keeps the licence
  // record but it is flagged; a guess that finance would rather see these than lose them.
  return "past_due";
}
