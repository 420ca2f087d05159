import http from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, billingInvoices, billingLicences, billingStripeEvents } from "@/drizzle/schema";
import { buildLabInvoice, buildLabSubscription, startLabStripe, type LabStripe } from "@/lab/stripe";
import { createStripeClient } from "@/server/connectors/stripe/client";
import { sendWebResponse, toWebRequest } from "@/server/testing/web-request";
import { createOrg, createSku } from "@/server/services/billing/catalogue";
import { applyStripeEvent, resyncFromStripe } from "@/server/services/billing/stripe";
import { createTestDatabase } from "@/server/testing/database";
import { handleStripeWebhook } from "./stripe-webhook";

const { db } = await createTestDatabase();
const admin = { id: "finance-admin@test.sankofa" };
let lab: LabStripe;
let endpoint: string;
let server: http.Server;

beforeAll(async () => {
  lab = await startLabStripe();
  // Our door over real HTTP on loopback, the lab posting to it as Stripe would.
  server = http.createServer(async (req, res) => {
    const request = await toWebRequest(req, "http://127.0.0.1", 1024 * 1024);
    await sendWebResponse(res, await handleStripeWebhook(request, { db, secret: lab.webhookSecret }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/billing/stripe`;
  await createOrg(db, admin, { code: "acme", name: "Acme Hosting", stripeCustomerId: "cus_acme" });
  await createSku(db, admin, {
    code: "win-std",
    name: "Windows Server Standard",
    kind: "licence",
    externalSkuId: "mkt-win-std",
    stripePriceId: "price_win_std",
    unit: "seat-month",
    unitPriceMinor: 2350,
    currency: "EUR",
  });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await lab.close();
});

const storedEvents = async () => (await db.select({ n: count() }).from(billingStripeEvents))[0]!.n;
const stripeJobs = async () =>
  db.execute<{ id: string; payload: { eventId: string } }>(sql`select j.id, j.payload from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'apply-stripe-event' order by j.id`);

/** What the worker does: run each queued apply job, then drop it (as a completed job is). */
async function runStripeJobs(): Promise<string[]> {
  const statuses: string[] = [];
  for (const job of await stripeJobs()) {
    statuses.push((await applyStripeEvent(db, job.payload.eventId)).status);
    await db.execute(sql`select graphile_worker.complete_jobs(array[${job.id}::bigint])`);
  }
  return statuses;
}

const licenceOf = async (ref: string) => (await db.select().from(billingLicences).where(eq(billingLicences.externalRef, ref)))[0];

function subscriptionEvent(type: string, o: { sub: string; item: string; quantity: number; created: number; status?: string; endedAt?: number }) {
  return lab.createEvent(
    type,
    buildLabSubscription({
      id: o.sub,
      customer: "cus_acme",
      status: o.status,
      startDate: 1_790_000_000,
      periodEnd: 1_792_592_000,
      endedAt: o.endedAt,
      items: [{ id: o.item, price: "price_win_std", quantity: o.quantity }],
    }),
    { created: o.created },
  );
}

describe("POST /api/billing/stripe", () => {
  it.each([
    ["a wrong secret", { secret: "whsec_not_the_endpoint_secret" }],
    ["a timestamp older than 300 s", { timestamp: Math.floor(Date.now() / 1000) - 301 }],
  ])("refuses %s with 400 and stores nothing", async (_what, opts) => {
    const event = subscriptionEvent("customer.subscription.created", { sub: "sub_bad1", item: "si_bad1", quantity: 1, created: 1_790_000_000 });
    const before = await storedEvents();
    const res = await lab.deliver(endpoint, event, opts);
    expect(res.status).toBe(400);
    expect(res.body).toContain("signature check failed");
    expect(await storedEvents()).toBe(before);
    expect(await stripeJobs()).toHaveLength(0);
  });

  it("refuses a body changed after signing (signature over the original bytes) and a missing header", async () => {
    const event = subscriptionEvent("customer.subscription.created", { sub: "sub_bad2", item: "si_bad2", quantity: 1, created: 1_790_000_000 });
    const original = JSON.stringify(event, null, 2);
    const tampered = original.replace('"quantity": 1', '"quantity": 900');
    const header = lab.sign(original);
    const res = await fetch(endpoint, { method: "POST", body: tampered, headers: { "stripe-signature": header, "content-type": "application/json" } });
    expect(res.status).toBe(400);
    // The same JSON, re-serialised compactly: the same data, other bytes, so refused too.
    const compact = await fetch(endpoint, { method: "POST", body: JSON.stringify(event), headers: { "stripe-signature": header } });
    expect(compact.status).toBe(400);
    const bare = await fetch(endpoint, { method: "POST", body: original });
    expect(bare.status).toBe(400);
    expect(await storedEvents()).toBe(0);
  });

  it("answers 503 while no webhook secret is configured", async () => {
    const res = await handleStripeWebhook(new Request("http://x/api/billing/stripe", { method: "POST", body: "{}" }), { db, secret: undefined });
    expect(res.status).toBe(503);
  });

  it("stores a signed event, answers 200 before applying it, and the job turns it into a licence", async () => {
    const event = subscriptionEvent("customer.subscription.created", { sub: "sub_new", item: "si_new", quantity: 3, created: 1_790_000_100 });
    const res = await lab.deliver(endpoint, event);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: true, duplicate: false, ignored: false });
    expect(await licenceOf("si_new")).toBeUndefined(); // answered before the work
    expect(await runStripeJobs()).toEqual(["applied"]);
    expect(await licenceOf("si_new")).toMatchObject({ seatCount: 3, status: "active", stripeSubscriptionId: "sub_new", validTo: new Date(1_792_592_000_000) });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entityId, "sub_new"));
    expect(audit).toMatchObject({ actor: "system:stripe", action: "billing.stripe.customer.subscription.created" });
  });

  it("changes nothing on a replay of a captured delivery, even after later events", async () => {
    const created = subscriptionEvent("customer.subscription.created", { sub: "sub_rp", item: "si_rp", quantity: 1, created: 1_790_000_200 });
    const body = JSON.stringify(created, null, 2);
    const header = lab.sign(body);
    const send = () => fetch(endpoint, { method: "POST", body, headers: { "stripe-signature": header } });
    expect((await send()).status).toBe(200);
    await runStripeJobs();
    await lab.deliver(endpoint, subscriptionEvent("customer.subscription.updated", { sub: "sub_rp", item: "si_rp", quantity: 4, created: 1_790_000_300 }));
    await runStripeJobs();
    const before = await storedEvents();
    const again = await send(); // the same signed bytes, inside the 300 s window
    expect(again.status).toBe(200);
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await stripeJobs()).toHaveLength(0);
    expect(await storedEvents()).toBe(before);
    expect((await licenceOf("si_rp"))!.seatCount).toBe(4);
  });

  it("ends in the newest state whatever order the subscription's events arrive in", async () => {
    const t = 1_790_001_000;
    const created = subscriptionEvent("customer.subscription.created", { sub: "sub_ooo", item: "si_ooo", quantity: 1, created: t });
    const up3 = subscriptionEvent("customer.subscription.updated", { sub: "sub_ooo", item: "si_ooo", quantity: 3, created: t + 100 });
    const up5 = subscriptionEvent("customer.subscription.updated", { sub: "sub_ooo", item: "si_ooo", quantity: 5, created: t + 200 });
    const statuses: string[] = [];
    for (const e of [up5, created, up3]) {
      expect((await lab.deliver(endpoint, e)).status).toBe(200);
      statuses.push(...(await runStripeJobs()));
    }
    expect(statuses).toEqual(["applied", "stale", "stale"]);
    expect(await licenceOf("si_ooo")).toMatchObject({ seatCount: 5, status: "active" });

    // A deletion, then an update of before it arriving late: the licence stays expired.
    const deleted = subscriptionEvent("customer.subscription.deleted", {
      sub: "sub_ooo",
      item: "si_ooo",
      quantity: 5,
      created: t + 400,
      status: "canceled",
      endedAt: t + 400,
    });
    const lateUpdate = subscriptionEvent("customer.subscription.updated", { sub: "sub_ooo", item: "si_ooo", quantity: 8, created: t + 300 });
    await lab.deliver(endpoint, deleted);
    await lab.deliver(endpoint, lateUpdate);
    expect(await runStripeJobs()).toEqual(["applied", "stale"]);
    expect(await licenceOf("si_ooo")).toMatchObject({ seatCount: 5, status: "expired", validTo: new Date((t + 400) * 1000) });
  });

  it("acknowledges an event type it does not use, stored as ignored, with no job", async () => {
    const event = lab.createEvent("charge.succeeded", { id: "ch_1", object: "charge", amount: 500, currency: "eur" });
    const res = await lab.deliver(endpoint, event);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ignored: true });
    expect((await db.select().from(billingStripeEvents).where(eq(billingStripeEvents.id, event.id)))[0]!.status).toBe("ignored");
    expect(await stripeJobs()).toHaveLength(0);
  });

  it("marks our invoice paid on invoice.paid, and records a failed payment without un-issuing it", async () => {
    const [org] = await db.execute<{ id: number }>(sql`select id from billing_orgs where code = 'acme'`);
    const [inv] = await db
      .insert(billingInvoices)
      .values({ orgId: org!.id, periodStart: "2026-10-01", periodEnd: "2026-10-31", currency: "EUR", status: "issued", totalMinor: 7050, issuedAt: new Date() })
      .returning();
    const meta = { sankofa_invoice_id: String(inv!.id) };
    await lab.deliver(
      endpoint,
      lab.createEvent("invoice.payment_failed", buildLabInvoice({ id: "in_1", customer: "cus_acme", status: "open", amountDue: 7050, metadata: meta }), {
        created: 1_790_002_000,
      }),
    );
    await runStripeJobs();
    expect((await db.select().from(billingInvoices).where(eq(billingInvoices.id, inv!.id)))[0]).toMatchObject({ status: "issued", stripeInvoiceId: "in_1" });
    await lab.deliver(
      endpoint,
      lab.createEvent(
        "invoice.paid",
        buildLabInvoice({ id: "in_1", customer: "cus_acme", status: "paid", amountDue: 7050, paidAt: 1_790_001_900, metadata: meta }),
        {
          created: 1_790_002_100,
        },
      ),
    );
    expect(await runStripeJobs()).toEqual(["applied"]);
    expect((await db.select().from(billingInvoices).where(eq(billingInvoices.id, inv!.id)))[0]).toMatchObject({
      status: "paid",
      // Stripe's status_transitions.paid_at, not the event's creation time.
      paidAt: new Date(1_790_001_900_000),
      paidMinor: 7050,
    });
  });

  it("re-syncs from Stripe: events never delivered are listed over its API, stored once and applied", async () => {
    const missed = subscriptionEvent("customer.subscription.created", {
      sub: "sub_missed",
      item: "si_missed",
      quantity: 2,
      created: Math.floor(Date.now() / 1000) - 3600,
    });
    const api = createStripeClient({ secretKey: lab.secretKey, apiUrl: lab.url });
    const first = await resyncFromStripe(db, admin, api);
    expect(first.added).toBeGreaterThanOrEqual(1);
    await runStripeJobs();
    expect(await licenceOf("si_missed")).toMatchObject({ seatCount: 2, status: "active" });
    expect((await db.select().from(billingStripeEvents).where(eq(billingStripeEvents.id, missed.id)))[0]!.status).toBe("applied");
    expect(await resyncFromStripe(db, admin, api)).toMatchObject({ added: 0 });
    expect(await stripeJobs()).toHaveLength(0);
  });

  it("keeps an event for a customer not linked yet as failed, and applies it on re-sync once the org is linked", async () => {
    const event = lab.createEvent(
      "customer.subscription.created",
      buildLabSubscription({
        id: "sub_late",
        customer: "cus_later",
        startDate: 1_790_000_000,
        periodEnd: 1_792_592_000,
        items: [{ id: "si_late", price: "price_win_std", quantity: 6 }],
      }),
      { created: Math.floor(Date.now() / 1000) - 60 },
    );
    await lab.deliver(endpoint, event);
    expect(await runStripeJobs()).toEqual(["failed"]);
    expect((await db.select().from(billingStripeEvents).where(eq(billingStripeEvents.id, event.id)))[0]!.note).toContain(
      "no org is linked to Stripe customer cus_later",
    );
    await createOrg(db, admin, { code: "later", name: "Later Ltd", stripeCustomerId: "cus_later" });
    const api = createStripeClient({ secretKey: lab.secretKey, apiUrl: lab.url });
    expect(await resyncFromStripe(db, admin, api)).toMatchObject({ added: 0, retried: 1 });
    expect(await runStripeJobs()).toEqual(["applied"]);
    expect(await licenceOf("si_late")).toMatchObject({ seatCount: 6, status: "active" });
  });
});
