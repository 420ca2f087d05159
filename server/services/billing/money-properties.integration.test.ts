import { and, eq, isNull, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingInvoices, billingOrgs, billingPayments, billingStripeEvents } from "@/drizzle/schema";
import { buildLabCharge, buildLabCreditNote, buildLabInvoice, buildLabSubscription, startLabStripe, type LabStripe, type LabStripeEvent } from "@/lab/stripe";
import { createTestDatabase } from "@/server/testing/database";
import { createOrg, createSku } from "./catalogue";
import { createCreditNote, draftInvoices, issueInvoice, voidInvoice } from "./invoices";
import { findLedgerFlags, listLedger } from "./ledger";
import { createLicence } from "./licences";
import { acceptStripeEvent, applyStripeEvent } from "./stripe";

// Issue 25's "done means": over generated sequences of drafting, issuing, crediting, voiding and
// Stripe deliveries (reordered, repeated, mismatched amounts, currencies and customers, refunds,
// Stripe credit notes, trials), against the real database: no invoice is paid by a mismatched
// payment, credits never exceed totals, no org's day is on two issued invoices, and every
// balance is issued − credited − paid with paid = payments − refunds.

const { db } = await createTestDatabase();
const finance = { id: "finance@test.sankofa" };
let lab: LabStripe;
let skuId: number;
let usdSkuId: number;
let run = 0;

beforeAll(async () => {
  lab = await startLabStripe();
  skuId = (
    await createSku(db, finance, {
      kind: "licence",
      currency: "EUR",
      code: "prop-lic",
      name: "Licence",
      externalSkuId: "mkt-prop",
      stripePriceId: "price_prop",
      unit: "seat",
      unitPriceMinor: 1250,
    })
  ).id;
  usdSkuId = (
    await createSku(db, finance, {
      kind: "licence",
      currency: "USD",
      code: "prop-usd",
      name: "Licence USD",
      externalSkuId: "mkt-prop-usd",
      unit: "seat",
      unitPriceMinor: 990,
    })
  ).id;
});
afterAll(() => lab.close());

// Overlapping periods on purpose: inside, across and beside one another.
const PERIODS = [
  ["2030-01-01", "2030-01-31"],
  ["2030-01-10", "2030-01-20"],
  ["2030-01-15", "2030-02-14"],
  ["2030-02-01", "2030-02-28"],
] as const;

const pick = fc.nat({ max: 50 });
const op = fc.oneof(
  fc.record({ k: fc.constant("draft" as const), period: fc.nat({ max: PERIODS.length - 1 }) }),
  fc.record({ k: fc.constant("issue" as const), i: pick }),
  fc.record({ k: fc.constant("void" as const), i: pick }),
  fc.record({ k: fc.constant("credit" as const), i: pick, share: fc.integer({ min: 1, max: 120 }) }),
  fc.record({
    k: fc.constant("paid" as const),
    i: pick,
    // percent of what is due: partial, exact, over
    share: fc.constantFrom(40, 99, 100, 100, 101, 150),
    customer: fc.constantFrom("own", "own", "own", "other"),
    currency: fc.constantFrom("same", "same", "same", "other"),
  }),
  fc.record({ k: fc.constant("refund" as const), i: pick, share: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ k: fc.constant("stripeCredit" as const), i: pick, share: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ k: fc.constant("subscription" as const), status: fc.constantFrom("active", "trialing") }),
  fc.record({ k: fc.constant("redeliver" as const), i: pick }),
);

describe("money properties", () => {
  it("hold over every generated sequence of invoice actions and Stripe deliveries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.nat({ max: PERIODS.length - 1 }), fc.array(op, { minLength: 3, maxLength: 14 })).map(([p, rest]) => [
          // Each sequence starts from an issued invoice, so money has something to land on.
          { k: "draft" as const, period: p },
          { k: "issue" as const, i: 0 },
          ...rest,
        ]),
        fc.infiniteStream(fc.nat({ max: 10_000 })),
        async (ops, jitter) => {
          run++;
          const customer = `cus_prop${run}`;
          const org = await createOrg(db, finance, { code: `prop-${run}`, name: `Prop ${run}`, stripeCustomerId: customer });
          // Every org has a hand-granted licence, so each draft has lines in EUR (and USD via the second SKU on odd runs).
          await createLicence(db, finance, { skuId, orgId: org.id, seatCount: 1 + (run % 3), validFrom: new Date("2029-12-01T00:00:00Z") });
          if (run % 2) await createLicence(db, finance, { skuId: usdSkuId, orgId: org.id, seatCount: 1, validFrom: new Date("2029-12-01T00:00:00Z") });
          const delivered: LabStripeEvent[] = [];
          const noise = jitter[Symbol.iterator]();
          const created = () => 1_900_000_000 + (noise.next().value as number);
          const invoices = async () =>
            db
              .select()
              .from(billingInvoices)
              .where(and(eq(billingInvoices.orgId, org.id), isNull(billingInvoices.correctsInvoiceId)))
              .orderBy(billingInvoices.id);
          const deliver = async (event: LabStripeEvent) => {
            delivered.push(event);
            await acceptStripeEvent(db, event as never);
            await applyStripeEvent(db, event.id);
          };
          for (const o of ops) {
            const list = await invoices();
            const inv = list.length ? list[("i" in o ? o.i : 0) % list.length] : undefined;
            const ignoreRefusal = (e: unknown) => {
              if (!(e instanceof Error) || !/CONFLICT|BAD_REQUEST|not a draft|cannot|more than|nothing|already|void|credit/i.test(`${e.name} ${e.message}`))
                throw e;
            };
            switch (o.k) {
              case "draft":
                await draftInvoices(db, finance, { periodStart: PERIODS[o.period]![0], periodEnd: PERIODS[o.period]![1], bandwidthMode: "higher" });
                break;
              case "issue":
                if (inv) await issueInvoice(db, finance, inv.id).catch(ignoreRefusal);
                break;
              case "void":
                if (inv) await voidInvoice(db, finance, inv.id).catch(ignoreRefusal);
                break;
              case "credit":
                if (inv)
                  await createCreditNote(db, finance, {
                    invoiceId: inv.id,
                    amountMinor: Math.max(1, Math.round((inv.totalMinor * o.share) / 100)),
                    reason: "p",
                  }).catch(ignoreRefusal);
                break;
              case "paid":
                if (inv)
                  await deliver(
                    lab.createEvent(
                      "invoice.paid",
                      buildLabInvoice({
                        id: `in_p${run}i${inv.id}`,
                        customer: o.customer === "own" ? customer : "cus_someone_else",
                        status: "paid",
                        amountDue: inv.totalMinor,
                        amountPaid: Math.round(((inv.totalMinor - inv.creditedMinor) * o.share) / 100),
                        currency: o.currency === "same" ? inv.currency : inv.currency === "EUR" ? "usd" : "eur",
                        paidAt: created(),
                        paymentIntent: `pi_p${run}i${inv.id}`,
                        metadata: { sankofa_invoice_id: String(inv.id) },
                      }),
                      { created: created() },
                    ),
                  );
                break;
              case "refund":
                if (inv)
                  await deliver(
                    lab.createEvent(
                      "charge.refunded",
                      buildLabCharge({
                        id: `ch_p${run}i${inv.id}`,
                        customer,
                        amount: inv.totalMinor,
                        amountRefunded: Math.round((inv.paidMinor * o.share) / 100),
                        paymentIntent: `pi_p${run}i${inv.id}`,
                        currency: inv.currency,
                      }),
                      { created: created() },
                    ),
                  );
                break;
              case "stripeCredit":
                if (inv)
                  await deliver(
                    lab.createEvent(
                      "credit_note.created",
                      buildLabCreditNote({
                        id: `cn_p${run}n${delivered.length}`,
                        customer,
                        invoice: `in_p${run}i${inv.id}`,
                        amount: Math.round((inv.totalMinor * o.share) / 100),
                        currency: inv.currency,
                      }),
                      { created: created() },
                    ),
                  );
                break;
              case "subscription": {
                const start = Date.UTC(2029, 11, 1) / 1000;
                await deliver(
                  lab.createEvent(
                    "customer.subscription.created",
                    buildLabSubscription({
                      id: `sub_p${run}`,
                      customer,
                      status: o.status,
                      startDate: start,
                      periodEnd: start + 120 * 86_400,
                      items: [{ id: `si_p${run}`, price: "price_prop", quantity: 2 }],
                    }),
                    { created: created() },
                  ),
                );
                break;
              }
              case "redeliver":
                // Stripe retries: the same event again (dedup), or an older one arriving late.
                if (delivered.length) {
                  const again = delivered[o.i % delivered.length]!;
                  await acceptStripeEvent(db, again as never);
                  await applyStripeEvent(db, again.id);
                }
                break;
            }
          }
          await checkInvariants();
        },
      ),
      // A fixed seed: the 25 sequences are the same every run, so the check below that they reached
      // paid, partial, refunded, credited and needs-a-look invoices cannot pass one day and fail the
      // next (with a random seed, 25 runs missed one of them about one run in three). MONEY_PROPERTY_SEED
      // explores other sequences.
      { numRuns: 25, seed: Number(process.env.MONEY_PROPERTY_SEED ?? 7) },
    );
    // The sequences reached the states the properties are about (not only empty runs).
    const [seen] = await db.execute<{ paid: number; partial: number; refunds: number; credits: number; looks: number }>(sql`select
      -- Paid in full at some point (a later refund may have reopened it, so not the final status).
      (select count(*) from billing_payments where kind = 'payment' and match in ('exact', 'over'))::int as paid,
      (select count(*) from billing_payments where match <> 'exact')::int as partial,
      (select count(*) from billing_payments where kind = 'refund')::int as refunds,
      (select count(*) from billing_invoices where corrects_invoice_id is not null)::int as credits,
      (select count(*) from billing_stripe_events where status = 'needs_look')::int as looks`);
    expect(seen).toEqual({
      paid: expect.any(Number),
      partial: expect.any(Number),
      refunds: expect.any(Number),
      credits: expect.any(Number),
      looks: expect.any(Number),
    });
    expect(Object.entries(seen!).filter(([, n]) => n === 0)).toEqual([]);
  }, 600_000);
});

async function checkInvariants() {
  // No invoice is paid by a mismatched payment: each booked payment names the invoice's customer and currency, on an issued invoice.
  const payments = await db
    .select({ p: billingPayments, customer: billingOrgs.stripeCustomerId, currency: billingInvoices.currency, payload: billingStripeEvents.payload })
    .from(billingPayments)
    .innerJoin(billingInvoices, eq(billingInvoices.id, billingPayments.invoiceId))
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingInvoices.orgId))
    .innerJoin(billingStripeEvents, eq(billingStripeEvents.id, billingPayments.stripeEventId));
  for (const { p, customer, currency, payload } of payments) {
    const object = (payload as { data: { object: { customer: string; currency: string } } }).data.object;
    expect(object.customer).toBe(customer);
    expect(object.currency.toUpperCase()).toBe(currency);
    expect(p.currency).toBe(currency);
  }
  const all = await db.select().from(billingInvoices);
  for (const i of all) {
    if (i.correctsInvoiceId !== null) continue;
    // Credits never exceed the total.
    expect(i.creditedMinor).toBeGreaterThanOrEqual(0);
    expect(i.creditedMinor).toBeLessThanOrEqual(i.totalMinor);
    // Only issued invoices carry money; a paid one has what was due.
    if (i.status === "draft" || i.status === "void") expect([i.paidMinor, i.creditedMinor, i.paidAt]).toEqual([0, 0, null]);
    if (i.status === "paid") expect(i.paidMinor).toBeGreaterThanOrEqual(i.totalMinor - i.creditedMinor);
    if (i.status === "draft") expect(i.issuedAt).toBeNull();
  }
  // No org's day (usage or licence) on two issued invoices of one currency.
  const clashes = await db.execute(sql`
    select a.id, b.id from billing_invoices a join billing_invoices b on a.org_id = b.org_id and a.currency = b.currency and a.id < b.id
    where a.status in ('issued', 'paid') and b.status in ('issued', 'paid') and a.corrects_invoice_id is null and b.corrects_invoice_id is null
      and daterange(a.period_start, a.period_end, '[]') && daterange(b.period_start, b.period_end, '[]')`);
  expect(clashes).toHaveLength(0);
  // Nor two drafts for one day.
  const drafts = await db.execute(sql`
    select a.id from billing_invoices a join billing_invoices b on a.org_id = b.org_id and a.currency = b.currency and a.id < b.id
    where a.status = 'draft' and b.status = 'draft' and a.corrects_invoice_id is null and b.corrects_invoice_id is null
      and daterange(a.period_start, a.period_end, '[]') && daterange(b.period_start, b.period_end, '[]')`);
  expect(drafts).toHaveLength(0);
  // Every figure adds up from its parts (lines, payments less refunds, credit notes ours and Stripe's) ...
  const { flags } = await findLedgerFlags(db);
  expect(flags.flatMap((f) => f.flags.filter((x) => !x.includes("did not match")).map((x) => `${f.invoiceId}: ${x}`))).toEqual([]);
  // ... and every balance is issued − credited − paid.
  const orgIds = new Map((await db.select().from(billingOrgs)).map((o) => [o.code, o.id]));
  for (const row of await listLedger(db)) {
    const mine = all.filter(
      (i) =>
        i.correctsInvoiceId === null && (i.status === "issued" || i.status === "paid") && i.currency === row.currency && i.orgId === orgIds.get(row.orgCode),
    );
    const sum = (f: (i: (typeof mine)[number]) => number) => mine.reduce((s, i) => s + f(i), 0);
    expect(row).toMatchObject({ issuedMinor: sum((i) => i.totalMinor), creditedMinor: sum((i) => i.creditedMinor), paidMinor: sum((i) => i.paidMinor) });
    expect(row.balanceMinor).toBe(row.issuedMinor - row.creditedMinor - row.paidMinor);
  }
}
