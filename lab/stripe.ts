import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { assertLoopback, LAB_HOST } from "./loopback";

// The lab's Stripe, built from Stripe's public documents, not from what our door expects:
// - events: https://docs.stripe.com/api/events/object — {id: "evt_…", object: "event", api_version,
//   created (Unix seconds), data: {object, previous_attributes?}, livemode, pending_webhooks,
//   request: {id, idempotency_key}, type}
// - subscriptions: https://docs.stripe.com/api/subscriptions/object (items is a list object; since
//   API 2025-03-31 "basil" each item carries current_period_start/end)
// - invoices: https://docs.stripe.com/api/invoices/object
// - signing: https://docs.stripe.com/webhooks#verify-manually — header
//   `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the
//   endpoint secret>`; the secret is used as its literal string (`whsec_…` included).
// - listing: https://docs.stripe.com/api/events/list — GET /v1/events, newest first, `limit` (1–100),
//   `starting_after`, `created[gte]`, `types[]`; answers {object: "list", url, has_more, data}.
// Guess (not documented precisely): how the official library spells array query parameters;
// both `types[]=` and `types[0]=` are accepted.

export const LAB_STRIPE_API_VERSION = "2025-03-31.basil";

export interface LabStripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface LabStripe {
  url: string;
  secretKey: string;
  webhookSecret: string;
  events: LabStripeEvent[];
  /** Records an event (as Stripe does when something happens); it is not delivered yet. */
  createEvent(type: string, object: Record<string, unknown>, opts?: { created?: number }): LabStripeEvent;
  /** The body and signature header Stripe would send for `event`, signed at `timestamp` (default now). */
  sign(body: string, opts?: { timestamp?: number; secret?: string }): string;
  /** POSTs `event` to `endpoint` with its signature, as a delivery; returns the endpoint's answer. */
  deliver(endpoint: string, event: LabStripeEvent, opts?: { timestamp?: number; secret?: string; body?: string }): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startLabStripe(opts: { port?: number; webhookSecret?: string; secretKey?: string } = {}): Promise<LabStripe> {
  const secretKey = opts.secretKey ?? "sk_test_lab_0123456789abcdef";
  const webhookSecret = opts.webhookSecret ?? `whsec_lab${randomBytes(12).toString("hex")}`;
  const events: LabStripeEvent[] = [];
  // Event ids are unique per lab run: Stripe's are random; ours are a run prefix plus a counter.
  const runId = randomBytes(4).toString("hex");
  let seq = 0;

  const sign = (body: string, o: { timestamp?: number; secret?: string } = {}) => {
    const t = o.timestamp ?? Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", o.secret ?? webhookSecret)
      .update(`${t}.${body}`, "utf8")
      .digest("hex");
    return `t=${t},v1=${v1}`;
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${secretKey}`)
      return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    const url = new URL(req.url ?? "/", "http://lab");
    if (req.method !== "GET" || url.pathname !== "/v1/events")
      return send(404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname})` } });
    const q = url.searchParams;
    const limit = Math.min(Math.max(Number(q.get("limit") ?? 10), 1), 100);
    const gte = q.get("created[gte]");
    const types = [...q.entries()].filter(([k]) => /^types\[\d*\]$/.test(k)).map(([, v]) => v);
    let list = [...events].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    if (gte) list = list.filter((e) => e.created >= Number(gte));
    if (types.length) list = list.filter((e) => types.includes(e.type));
    const after = q.get("starting_after");
    if (after) list = list.slice(list.findIndex((e) => e.id === after) + 1);
    return send(200, { object: "list", url: "/v1/events", has_more: list.length > limit, data: list.slice(0, limit) });
  });
  const port = opts.port ?? 0;
  await new Promise<void>((resolve) => server.listen(port, LAB_HOST, resolve));
  const address = server.address() as AddressInfo;
  assertLoopback(address.address, "lab Stripe");

  return {
    url: `http://${LAB_HOST}:${address.port}`,
    secretKey,
    webhookSecret,
    events,
    sign,
    createEvent(type, object, o = {}) {
      seq++;
      const event: LabStripeEvent = {
        id: `evt_lab${runId}${String(seq).padStart(6, "0")}`,
        object: "event",
        api_version: LAB_STRIPE_API_VERSION,
        created: o.created ?? Math.floor(Date.now() / 1000),
        data: { object },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
      };
      events.push(event);
      return event;
    },
    async deliver(endpoint, event, o = {}) {
      // Stripe sends the event as pretty-printed JSON; the signature covers those exact bytes.
      const body = o.body ?? JSON.stringify(event, null, 2);
      const res = await fetch(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": sign(body, o),
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body,
      });
      return { status: res.status, body: await res.text() };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** A subscription as Stripe's API returns it (fields we and most integrations read; the rest omitted). */
export function buildLabSubscription(o: {
  id: string;
  customer: string;
  status?: string;
  startDate: number;
  periodEnd: number;
  items: Array<{ id: string; price: string; product?: string; quantity: number }>;
  endedAt?: number | null;
}): Record<string, unknown> {
  return {
    id: o.id,
    object: "subscription",
    customer: o.customer,
    status: o.status ?? "active",
    start_date: o.startDate,
    created: o.startDate,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: o.endedAt ?? null,
    ended_at: o.endedAt ?? null,
    currency: "eur",
    livemode: false,
    metadata: {},
    items: {
      object: "list",
      has_more: false,
      url: `/v1/subscription_items?subscription=${o.id}`,
      data: o.items.map((i) => ({
        id: i.id,
        object: "subscription_item",
        created: o.startDate,
        current_period_start: o.startDate,
        current_period_end: o.periodEnd,
        metadata: {},
        price: { id: i.price, object: "price", product: i.product ?? `prod_${i.price}`, currency: "eur", type: "recurring" },
        quantity: i.quantity,
        subscription: o.id,
      })),
    },
  };
}

/**
 * An invoice as Stripe's API returns it (https://docs.stripe.com/api/invoices/object): `customer`,
 * `currency` (lower-case ISO 4217), `amount_due`/`amount_paid`/`amount_remaining` (smallest currency
 * unit; `amount_paid` may be less than due: a partial payment), `status_transitions` (Unix seconds;
 * `paid_at` is when it was paid) and, since API 2025-03-31 "basil", `payments` (Invoice Payment
 * objects, https://docs.stripe.com/api/invoice-payment/object, whose `payment.payment_intent` names
 * the PaymentIntent). Guess: webhooks carry `payments` unexpanded in real Stripe; the lab includes it.
 */
export function buildLabInvoice(o: {
  id: string;
  customer: string;
  status: "paid" | "open";
  amountDue: number;
  /** What was paid; defaults to all of it when paid. */
  amountPaid?: number;
  currency?: string;
  paidAt?: number;
  finalizedAt?: number;
  paymentIntent?: string;
  metadata?: Record<string, string>;
}) {
  const paid = o.amountPaid ?? (o.status === "paid" ? o.amountDue : 0);
  const currency = (o.currency ?? "eur").toLowerCase();
  const paidAt = o.status === "paid" ? (o.paidAt ?? Math.floor(Date.now() / 1000)) : null;
  return {
    id: o.id,
    object: "invoice",
    customer: o.customer,
    status: o.status,
    currency,
    amount_due: o.amountDue,
    amount_paid: paid,
    amount_remaining: Math.max(o.amountDue - paid, 0),
    status_transitions: { finalized_at: o.finalizedAt ?? null, marked_uncollectible_at: null, paid_at: paidAt, voided_at: null },
    payments: {
      object: "list",
      has_more: false,
      url: `/v1/invoice_payments?invoice=${o.id}`,
      data: o.paymentIntent
        ? [
            {
              id: `inpay_${o.id.slice(3)}`,
              object: "invoice_payment",
              amount_paid: o.status === "paid" ? paid : null,
              amount_requested: o.amountDue,
              currency,
              invoice: o.id,
              is_default: true,
              livemode: false,
              payment: { type: "payment_intent", payment_intent: o.paymentIntent },
              status: o.status === "paid" ? "paid" : "open",
              status_transitions: { canceled_at: null, paid_at: paidAt },
            },
          ]
        : [],
    },
    livemode: false,
    metadata: o.metadata ?? {},
  };
}

/**
 * A charge as `charge.refunded` carries it (https://docs.stripe.com/api/charges/object):
 * `amount_refunded` is everything refunded so far (cumulative), `refunded` true once it is all.
 * Since basil a charge no longer names its invoice; its `payment_intent` does (via the invoice payment).
 */
export function buildLabCharge(o: {
  id: string;
  customer: string;
  amount: number;
  amountRefunded: number;
  paymentIntent: string;
  currency?: string;
  created?: number;
}) {
  return {
    id: o.id,
    object: "charge",
    amount: o.amount,
    amount_captured: o.amount,
    amount_refunded: o.amountRefunded,
    captured: true,
    created: o.created ?? Math.floor(Date.now() / 1000),
    currency: (o.currency ?? "eur").toLowerCase(),
    customer: o.customer,
    livemode: false,
    paid: true,
    payment_intent: o.paymentIntent,
    refunded: o.amountRefunded >= o.amount,
    status: "succeeded",
  };
}

/** A credit note (https://docs.stripe.com/api/credit_notes/object): `amount` (smallest unit, tax included) off `invoice`. */
export function buildLabCreditNote(o: { id: string; customer: string; invoice: string; amount: number; currency?: string; created?: number }) {
  return {
    id: o.id,
    object: "credit_note",
    amount: o.amount,
    created: o.created ?? Math.floor(Date.now() / 1000),
    currency: (o.currency ?? "eur").toLowerCase(),
    customer: o.customer,
    invoice: o.invoice,
    livemode: false,
    status: "issued",
    type: "post_payment",
    total: o.amount,
    subtotal: o.amount,
  };
}
