import { and, eq, sql } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, billingInvoiceLines, billingInvoices, billingLicences, billingPayments, billingStripeEvents } from "@/drizzle/schema";
import { buildLabCharge, buildLabCreditNote, buildLabInvoice, buildLabSubscription, startLabStripe, type LabStripe } from "@/lab/stripe";
import { ROLES } from "@/lib/auth/roles";
import { computeInvoice } from "@/lib/billing/money";
import { createTestDatabase } from "@/server/testing/database";
import { createCaller } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/init";
import { createOrg, createSku } from "./catalogue";
import { streamCsv } from "@/lib/csv/stream-csv";
import { streamInvoicesCsv, streamUsageCsv, USAGE_COLUMNS } from "./csv";
import { handleBillingExport } from "./export";
import { createCreditNote, draftInvoices, issueInvoice, voidInvoice } from "./invoices";
import { findLedgerFlags, listLedger, runLedgerCheck } from "./ledger";
import { createLicence } from "./licences";
import { getPlatformFacts } from "../observability/queries";
import { acceptStripeEvent, applyStripeEvent } from "./stripe";

// Issue 25, points 1, 2, 4, 5 and 6: each test here failed on the code before it.
const { db, sql: pg } = await createTestDatabase();
const finance = { id: "finance@test.sankofa" };
let lab: LabStripe;
let acme: number;
let beta: number;
let month = 0;

beforeAll(async () => {
  lab = await startLabStripe();
  acme = (await createOrg(db, finance, { code: "acme", name: "Acme", stripeCustomerId: "cus_acme" })).id;
  beta = (await createOrg(db, finance, { code: "beta", name: "Beta", stripeCustomerId: "cus_beta" })).id;
});
afterAll(() => lab.close());

/** An issued invoice of `totalMinor` (one line), on a period of its own (a month after the last one). */
async function issued(orgId: number, totalMinor: number, currency = "EUR") {
  month++;
  const start = new Date(Date.UTC(2025, month, 1));
  const end = new Date(Date.UTC(2025, month + 1, 0));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const { lines, totalMinor: total } = computeInvoice([{ skuId: null, description: "service", quantityMilli: 1000, unitPriceMinor: totalMinor }]);
  const [inv] = await db
    .insert(billingInvoices)
    .values({ orgId, periodStart: day(start), periodEnd: day(end), currency, totalMinor: total })
    .returning();
  await db.insert(billingInvoiceLines).values(lines.map((l) => ({ ...l, invoiceId: inv!.id })));
  return issueInvoice(db, finance, inv!.id);
}

async function deliver(type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) {
  const event = lab.createEvent(type, object, { created });
  await acceptStripeEvent(db, event as never);
  return applyStripeEvent(db, event.id);
}
const invoiceRow = async (id: number) => (await db.select().from(billingInvoices).where(eq(billingInvoices.id, id)))[0]!;
const paidEvent = (id: number, o: { amountDue: number; amountPaid?: number; customer?: string; currency?: string; paidAt?: number; pi?: string }) =>
  buildLabInvoice({
    id: `in_${id}x${Math.random().toString(36).slice(2, 8)}`,
    customer: o.customer ?? "cus_acme",
    status: "paid",
    amountDue: o.amountDue,
    amountPaid: o.amountPaid,
    currency: o.currency,
    paidAt: o.paidAt,
    paymentIntent: o.pi,
    metadata: { sankofa_invoice_id: String(id) },
  });

describe("payments are matched, not trusted", () => {
  it("records 7,400 paid on a 7,500 invoice as a partial payment: still issued, 100 owed", async () => {
    const inv = await issued(acme, 7500);
    const out = await deliver("invoice.paid", paidEvent(inv.id, { amountDue: 7500, amountPaid: 7400 }));
    expect(out).toMatchObject({ status: "applied", note: expect.stringContaining("partial") });
    expect(await invoiceRow(inv.id)).toMatchObject({ status: "issued", paidMinor: 7400, paidAt: null });
    expect((await db.select().from(billingPayments).where(eq(billingPayments.invoiceId, inv.id)))[0]).toMatchObject({ match: "partial", amountMinor: 7400 });
  });

  it("records an overpayment as such and marks the invoice paid", async () => {
    const inv = await issued(acme, 5000);
    await deliver("invoice.paid", paidEvent(inv.id, { amountDue: 5000, amountPaid: 5200 }));
    expect(await invoiceRow(inv.id)).toMatchObject({ status: "paid", paidMinor: 5200 });
    expect((await db.select().from(billingPayments).where(eq(billingPayments.invoiceId, inv.id)))[0]).toMatchObject({ match: "over" });
  });

  it.each([
    ["a payment in USD on a EUR invoice", { currency: "usd" }, "in USD"],
    ["a payment naming another organisation's Stripe customer", { customer: "cus_beta" }, "cus_beta"],
  ])("stores %s as needs a look, with the reason, and changes no invoice", async (_, o, reason) => {
    const inv = await issued(acme, 7500);
    const out = await deliver("invoice.paid", paidEvent(inv.id, { amountDue: 7500, ...o }));
    expect(out).toMatchObject({ status: "needs_look", note: expect.stringContaining(reason) });
    expect(await invoiceRow(inv.id)).toMatchObject({ status: "issued", paidMinor: 0, paidAt: null, stripeInvoiceId: null });
    const caller = createCaller(createContext({ db, user: user([ROLES.finance]), env: {} as never }));
    expect((await caller.billing.needsLook()).map((e) => e.note)).toContain(out.note);
  });

  it("never pays a draft: it stays a draft with no issued_at", async () => {
    const [draft] = await db
      .insert(billingInvoices)
      .values({ orgId: acme, periodStart: "2024-01-01", periodEnd: "2024-01-31", currency: "EUR", totalMinor: 900 })
      .returning();
    const out = await deliver("invoice.paid", paidEvent(draft!.id, { amountDue: 900 }));
    expect(out).toMatchObject({ status: "needs_look", note: expect.stringContaining("draft") });
    expect(await invoiceRow(draft!.id)).toMatchObject({ status: "draft", issuedAt: null, paidAt: null });
  });

  it("books a payment at Stripe's paid_at: 23:50 on 30 November is November, though the event is from December", async () => {
    const inv = await issued(acme, 3000);
    const paidAt = Date.UTC(2026, 10, 30, 23, 50) / 1000;
    await deliver("invoice.paid", paidEvent(inv.id, { amountDue: 3000, paidAt }), paidAt + 1200);
    expect((await invoiceRow(inv.id)).paidAt).toEqual(new Date(paidAt * 1000));
  });

  it("records a refund (charge.refunded) and a Stripe credit note against the invoice, and the CSV shows both", async () => {
    const inv = await issued(acme, 8000);
    await deliver("invoice.paid", paidEvent(inv.id, { amountDue: 8000, pi: "pi_refund1" }));
    expect(await invoiceRow(inv.id)).toMatchObject({ status: "paid", paidMinor: 8000 });
    const stripeId = (await invoiceRow(inv.id)).stripeInvoiceId!;
    // Stripe: a post-payment credit note of 3,000 refunded to the card.
    expect(await deliver("credit_note.created", buildLabCreditNote({ id: "cn_1", customer: "cus_acme", invoice: stripeId, amount: 3000 }))).toMatchObject({
      status: "applied",
    });
    const charge = (refunded: number) =>
      buildLabCharge({ id: "ch_r1", customer: "cus_acme", amount: 8000, amountRefunded: refunded, paymentIntent: "pi_refund1" });
    expect(await deliver("charge.refunded", charge(3000))).toMatchObject({ status: "applied" });
    // Repeated or later deliveries carry the cumulative figure: never added twice.
    await deliver("charge.refunded", charge(3000));
    expect(await invoiceRow(inv.id)).toMatchObject({ status: "paid", paidMinor: 5000, creditedMinor: 3000 });
    const csv = parse(await readAll(streamInvoicesCsv(pg, (await invoiceRow(inv.id)).periodStart)), { columns: true }) as Array<Record<string, string>>;
    expect(csv.find((r) => r.invoice_id === String(inv.id))).toMatchObject({
      schema_version: "billing-invoices/2",
      refunded_minor: "3000",
      stripe_credited_minor: "3000",
      credited_minor: "3000",
      paid_minor: "5000",
      balance_minor: "0",
    });
    // A full refund with nothing credited: it no longer reads paid.
    await deliver("charge.refunded", charge(8000));
    expect(await invoiceRow(inv.id)).toMatchObject({ status: "issued", paidMinor: 0, paidAt: null });
  });
});

describe("invariants the database keeps", () => {
  it("bounds credits by what is left: 6,000 + 4,001 refused, 6,000 + 4,000 taken, then nothing more", async () => {
    const inv = await issued(acme, 10_000);
    await createCreditNote(db, finance, { invoiceId: inv.id, amountMinor: 6000, reason: "a" });
    await expect(createCreditNote(db, finance, { invoiceId: inv.id, amountMinor: 4001, reason: "b" })).rejects.toThrow(/more than the 4000 left/);
    await createCreditNote(db, finance, { invoiceId: inv.id, amountMinor: 4000, reason: "c" });
    await expect(createCreditNote(db, finance, { invoiceId: inv.id, amountMinor: 1, reason: "d" })).rejects.toThrow();
    expect((await invoiceRow(inv.id)).creditedMinor).toBe(10_000);
  });

  it("takes only one of two concurrent 6,000 credits on a 10,000 invoice", async () => {
    const inv = await issued(acme, 10_000);
    const results = await Promise.allSettled([1, 2].map((n) => createCreditNote(db, finance, { invoiceId: inv.id, amountMinor: 6000, reason: `race ${n}` })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await invoiceRow(inv.id)).creditedMinor).toBe(6000);
  });

  it("refuses, in the database itself, an over-credit and a credit note on a void invoice", async () => {
    const inv = await issued(acme, 1000);
    await expect(db.update(billingInvoices).set({ creditedMinor: 1001 }).where(eq(billingInvoices.id, inv.id))).rejects.toThrow();
    const other = await issued(acme, 1000);
    await voidInvoice(db, finance, other.id);
    const note = { orgId: acme, periodStart: other.periodStart, periodEnd: other.periodEnd, currency: "EUR", totalMinor: -10, correctsInvoiceId: other.id };
    await expect(db.insert(billingInvoices).values(note)).rejects.toThrow();
    await expect(createCreditNote(db, finance, { invoiceId: other.id, amountMinor: 10, reason: "late" })).rejects.toThrow(/void/);
  });

  it("will not void an invoice that was credited, so its credit note cannot outlive it", async () => {
    const inv = await issued(acme, 1000);
    const note = await createCreditNote(db, finance, { invoiceId: inv.id, amountMinor: 100, reason: "x" });
    await expect(voidInvoice(db, finance, inv.id)).rejects.toThrow(/credited/);
    // Voiding the credit note gives its amount back.
    await voidInvoice(db, finance, note.id);
    expect((await invoiceRow(inv.id)).creditedMinor).toBe(0);
  });

  it("puts an org's day on one issued invoice: an overlapping period is not drafted, and the database refuses to issue one", async () => {
    const sku = await createSku(db, finance, {
      kind: "licence",
      currency: "EUR",
      code: "lic-overlap",
      name: "Overlap licence",
      externalSkuId: "mkt-overlap",
      unit: "seat-month",
      unitPriceMinor: 1000,
    });
    const gamma = (await createOrg(db, finance, { code: "gamma", name: "Gamma" })).id;
    await createLicence(db, finance, { skuId: sku.id, orgId: gamma, seatCount: 1, validFrom: new Date("2026-01-01T00:00:00Z") });
    const nov = await draftInvoices(db, finance, { periodStart: "2026-11-01", periodEnd: "2026-11-30", bandwidthMode: "higher" });
    const first = nov.drafted.find((d) => d.org === "gamma")!;
    await issueInvoice(db, finance, first.invoiceId);
    const inside = await draftInvoices(db, finance, { periodStart: "2026-11-10", periodEnd: "2026-11-20", bandwidthMode: "higher" });
    expect(inside.drafted.filter((d) => d.org === "gamma")).toEqual([]);
    expect(inside.skippedIssued.filter((d) => d.org === "gamma")).toHaveLength(1);
    const [sneaky] = await db
      .insert(billingInvoices)
      .values({ orgId: gamma, periodStart: "2026-11-15", periodEnd: "2026-12-15", currency: "EUR", totalMinor: 0 })
      .returning();
    await expect(issueInvoice(db, finance, sneaky!.id)).rejects.toThrow(/already bills/);
    await expect(db.update(billingInvoices).set({ status: "issued" }).where(eq(billingInvoices.id, sneaky!.id))).rejects.toThrow();
  });

  it("replaces an overlapping draft on a re-draft, and removes a stale draft of a currency with no lines", async () => {
    const delta = (await createOrg(db, finance, { code: "delta", name: "Delta" })).id;
    const eur = await createSku(db, finance, {
      kind: "licence",
      currency: "EUR",
      code: "lic-d-eur",
      name: "D EUR",
      externalSkuId: "mkt-d-eur",
      unit: "seat",
      unitPriceMinor: 500,
    });
    const usd = await createSku(db, finance, {
      kind: "licence",
      currency: "USD",
      code: "lic-d-usd",
      name: "D USD",
      externalSkuId: "mkt-d-usd",
      unit: "seat",
      unitPriceMinor: 700,
    });
    await createLicence(db, finance, { skuId: eur.id, orgId: delta, seatCount: 1, validFrom: new Date("2027-01-01T00:00:00Z") });
    const usdLicence = await createLicence(db, finance, { skuId: usd.id, orgId: delta, seatCount: 1, validFrom: new Date("2027-01-01T00:00:00Z") });
    await draftInvoices(db, finance, { periodStart: "2027-01-01", periodEnd: "2027-01-31", bandwidthMode: "higher" });
    await draftInvoices(db, finance, { periodStart: "2027-01-01", periodEnd: "2027-01-15", bandwidthMode: "higher" });
    const drafts = async () =>
      db
        .select({ currency: billingInvoices.currency, periodEnd: billingInvoices.periodEnd })
        .from(billingInvoices)
        .where(and(eq(billingInvoices.orgId, delta), eq(billingInvoices.status, "draft")))
        .orderBy(billingInvoices.currency);
    expect(await drafts()).toEqual([
      { currency: "EUR", periodEnd: "2027-01-15" },
      { currency: "USD", periodEnd: "2027-01-15" },
    ]);
    await db.update(billingLicences).set({ status: "revoked" }).where(eq(billingLicences.id, usdLicence.id));
    await draftInvoices(db, finance, { periodStart: "2027-01-01", periodEnd: "2027-01-15", bandwidthMode: "higher" });
    expect(await drafts()).toEqual([{ currency: "EUR", periodEnd: "2027-01-15" }]);
  });
});

describe("one owner per charge", () => {
  it("bills a Stripe subscription's licence on Stripe only (a line billed_by stripe at 0), and nothing in a trial", async () => {
    const eps = (await createOrg(db, finance, { code: "eps", name: "Epsilon", stripeCustomerId: "cus_eps" })).id;
    await createSku(db, finance, {
      kind: "licence",
      currency: "EUR",
      code: "lic-stripe",
      name: "Stripe-sold",
      externalSkuId: "mkt-stripe",
      stripePriceId: "price_sold",
      unit: "seat",
      unitPriceMinor: 4000,
    });
    const start = Date.UTC(2027, 2, 1) / 1000;
    for (const [sub, status] of [
      ["sub_paid", "active"],
      ["sub_trial", "trialing"],
    ] as const)
      await deliver(
        "customer.subscription.created",
        buildLabSubscription({
          id: sub,
          customer: "cus_eps",
          status,
          startDate: start,
          periodEnd: start + 30 * 86_400,
          items: [{ id: `si_${sub}`, price: "price_sold", quantity: 3 }],
        }),
        start,
      );
    expect((await db.select().from(billingLicences).where(eq(billingLicences.orgId, eps))).map((l) => l.status).sort()).toEqual(["active", "trialing"]);
    const out = await draftInvoices(db, finance, { periodStart: "2027-03-01", periodEnd: "2027-03-31", bandwidthMode: "higher" });
    const mine = out.drafted.find((d) => d.org === "eps")!;
    expect(mine.totalMinor).toBe(0);
    const lines = await db.select().from(billingInvoiceLines).where(eq(billingInvoiceLines.invoiceId, mine.invoiceId));
    expect(lines.map((l) => [l.billedBy, l.amountMinor])).toEqual([
      ["stripe", 0],
      ["stripe", 0],
    ]);
    expect(lines.some((l) => l.description.includes("in trial"))).toBe(true);
    const csv = parse(await handleBillingExport(pg, "invoice", new URLSearchParams({ id: String(mine.invoiceId) }))!.text(), { columns: true });
    expect((csv as Array<Record<string, string>>).map((r) => r.billed_by)).toEqual(["stripe", "stripe"]);
  });
});

describe("who sees money", () => {
  it("shows a viewer the audit log without billing figures; admins see them (finance reads billing, not the IT log)", async () => {
    const read = async (roles: Parameters<typeof user>[0]) =>
      (await createCaller(createContext({ db, user: user(roles), env: {} as never })).audit.list({ entity: "invoice", limit: 500 })).rows.filter((r) =>
        r.action.startsWith("billing."),
      );
    const asViewer = await read([ROLES.viewer]);
    expect(asViewer.length).toBeGreaterThan(0);
    expect(JSON.stringify(asViewer)).not.toMatch(/totalMinor|amountMinor/);
    expect(JSON.stringify(await read([ROLES.admin]))).toMatch(/totalMinor/);
    const viewer = createCaller(createContext({ db, user: user([ROLES.viewer]), env: {} as never }));
    await expect(viewer.billing.ledger()).rejects.toThrow();
  });
});

describe("a ledger finance can reconcile", () => {
  it("gives per org issued − credited − paid = balance on the page query and the CSV alike", async () => {
    const caller = createCaller(createContext({ db, user: user([ROLES.finance]), env: {} as never }));
    const page = await caller.billing.ledger();
    const res = handleBillingExport(pg, "ledger", new URLSearchParams(), db)!;
    const csv = parse(await res.text(), { columns: true }) as Array<Record<string, string>>;
    expect(csv.length).toBe(page.length);
    for (const row of page) {
      expect(row.balanceMinor).toBe(row.issuedMinor - row.creditedMinor - row.paidMinor);
      expect(csv.find((c) => c.org_code === row.orgCode && c.currency === row.currency)).toMatchObject({
        schema_version: "billing-ledger/1",
        issued_minor: String(row.issuedMinor),
        balance_minor: String(row.balanceMinor),
      });
    }
    const acmeEur = (await listLedger(db)).find((r) => r.orgCode === "acme" && r.currency === "EUR")!;
    const [sums] = await db.execute<{ issued: string; credited: string; paid: string }>(sql`
      select sum(total_minor) as issued, sum(credited_minor) as credited, sum(paid_minor) as paid from billing_invoices
      where org_id = ${acme} and currency = 'EUR' and corrects_invoice_id is null and status in ('issued', 'paid')`);
    expect(acmeEur).toMatchObject({ issuedMinor: Number(sums!.issued), creditedMinor: Number(sums!.credited), paidMinor: Number(sums!.paid) });
  });

  it("flags, each night, an invoice whose lines do not add up and one whose payment did not match", async () => {
    const partial = (await db.select().from(billingPayments).where(eq(billingPayments.match, "partial")))[0]!;
    const [bad] = await db
      .insert(billingInvoices)
      .values({ orgId: beta, periodStart: "2024-05-01", periodEnd: "2024-05-31", currency: "EUR", totalMinor: 999 })
      .returning();
    await db
      .insert(billingInvoiceLines)
      .values({ invoiceId: bad!.id, position: 1, description: "x", quantityMilli: 1000, unitPriceMinor: 100, amountMinor: 100 });
    await issueInvoice(db, finance, bad!.id);
    const check = await runLedgerCheck(db);
    const flagged = new Map((check.flags as Array<{ invoiceId: number; flags: string[] }>).map((f) => [f.invoiceId, f.flags]));
    expect(flagged.get(bad!.id)).toEqual([expect.stringContaining("lines add up to 100")]);
    expect(flagged.get(partial.invoiceId)).toEqual([expect.stringContaining("did not match")]);
    expect((await findLedgerFlags(db)).flags.length).toBe(flagged.size);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "billing.ledger.check"))).toHaveLength(1);
    const needsLook = await db.select().from(billingStripeEvents).where(eq(billingStripeEvents.status, "needs_look"));
    expect(needsLook.length).toBeGreaterThan(0);
    // /api/metrics and the dashboard count the same things finance is asked to look at.
    const failed = await db
      .select({ id: billingInvoices.id })
      .from(billingInvoices)
      .where(sql`status = 'issued' and payment_failed_at is not null`);
    const invoices = new Set([...flagged.keys(), ...failed.map((f) => f.id)]);
    expect((await getPlatformFacts(db)).invoicesNeedingLook).toBe(invoices.size + needsLook.length);
  });
});

describe("exports that stay small", () => {
  it("formats usage lines in Postgres exactly as the JS formatter does, escapes and quotes included", async () => {
    const odd = ['=HYPERLINK("x"),\r\nline two', "-5", "+1", "@a", "\tt", "plain", "a,b", 'q"q', "ünïcødé €"];
    const at = new Date("2031-03-04T05:06:07.891Z");
    await pg`insert into billing_usage_samples (source, object, meter, period, org_id, node, quantity_milli, collected_at)
      select 'proxmox', o, 'cpu_hours', '2031-03-04', ${acme}, case when n % 2 = 0 then o else null end, n * 1000 - 3, ${at.toISOString()}::timestamptz
      from unnest(${odd}::text[]) with ordinality as t(o, n)`;
    const got = await readAll(streamUsageCsv(pg, { from: "2031-03-04", to: "2031-03-04" }));
    const rows = odd.map((o, i) => [
      "billing-usage/1",
      "2031-03-04",
      "proxmox",
      o,
      "cpu_hours",
      "acme",
      (i + 1) % 2 === 0 ? o : "",
      (i + 1) * 1000 - 3,
      at.toISOString(),
    ]);
    const expected = await readAll(
      streamCsv(
        USAGE_COLUMNS,
        (async function* () {
          yield rows;
        })(),
      ),
    );
    expect(got).toBe(expected);
  });

  it("gives its connection back when the client stops reading half-way", async () => {
    await pg`insert into billing_usage_samples (source, object, meter, period, node, quantity_milli, collected_at)
      select 'proxmox', 'vmid:' || o, 'ram_gb_hours', '2031-04-01', 'pve-a', o, now() from generate_series(1, 20000) o`;
    for (let i = 0; i < 8; i++) {
      const chunks = streamUsageCsv(pg, { from: "2031-04-01", to: "2031-04-01" });
      // The header, then two chunks of lines: the COPY is running when the client goes.
      for (let n = 0; n < 3; n++) {
        expect((await chunks.next()).done).toBe(false);
      }
      await chunks.return(undefined);
    }
    // More exports than the pool has connections: each gets one, so none was left hanging.
    const counts = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(async () => (await readAll(streamUsageCsv(pg, { from: "2031-04-01", to: "2031-04-01" }))).split("\r\n").length - 2),
    );
    expect(counts).toEqual(Array(8).fill(20000));
  });
});

function user(roles: Array<(typeof ROLES)[keyof typeof ROLES]>) {
  return { id: roles.join("+"), email: `${roles.join("+")}@test.sankofa`, name: "t", roles, authTime: Math.floor(Date.now() / 1000) };
}

async function readAll(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}
