import { and, eq, gte, inArray, isNotNull, isNull, like, lte, ne, notInArray, or, sql } from "drizzle-orm";
import {
  billingInvoiceLines,
  billingInvoices,
  billingLicences,
  billingObjectOrgs,
  billingOrgs,
  billingSkuPrices,
  billingSkus,
  billingUsageSamples,
  type BillingInvoiceRow,
} from "@/drizzle/schema";
import { computeInvoice, type LineInput } from "@/lib/billing/money";
import { selectBillableRate, type BandwidthMode } from "@/lib/billing/percentile";
import { findPriceInForce, priceDailyUsage } from "@/lib/billing/prices";
import { AppError } from "@/lib/errors";
import type { Db, Tx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import { listServerPercentiles95 } from "./queries";
import { findUsageGaps } from "./usage";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkPeriod(periodStart: string, periodEnd: string) {
  if (!DAY.test(periodStart) || Number.isNaN(Date.parse(periodStart)))
    throw new AppError("BAD_REQUEST", `period start "${periodStart}" is not YYYY-MM-DD`, { field: "periodStart" });
  if (!DAY.test(periodEnd) || Number.isNaN(Date.parse(periodEnd)))
    throw new AppError("BAD_REQUEST", `period end "${periodEnd}" is not YYYY-MM-DD`, { field: "periodEnd" });
  if (periodEnd < periodStart) throw new AppError("BAD_REQUEST", "the period ends before it starts", { field: "periodEnd" });
}

export interface DraftResult {
  drafted: Array<{ invoiceId: number; org: string; currency: string; totalMinor: number; lines: number }>;
  /** Orgs whose invoice for the period is already issued: left as they are (a correction is a credit note). */
  skippedIssued: Array<{ invoiceId: number; org: string; currency: string }>;
  /** Per source, days of the period without figures: the drafts do not count them (and say so). */
  gaps: Awaited<ReturnType<typeof findUsageGaps>>;
}

/**
 * Drafts (or re-drafts) every org's invoice for a period: metered usage × the SKU's price, plus
 * licences live in the period × seats. One draft per org and currency; a re-draft replaces its
 * lines. Issued invoices are never touched. Licences are billed for the whole period when live
 * any part of it (no proration: a simplification finance can correct with a credit line).
 */
export async function draftInvoices(
  db: Db,
  actor: Actor,
  input: { periodStart: string; periodEnd: string; bandwidthMode: BandwidthMode },
): Promise<DraftResult> {
  checkPeriod(input.periodStart, input.periodEnd);
  const gaps = await findUsageGaps(db, input.periodStart, input.periodEnd);
  const skus = await db.select().from(billingSkus);
  const orgs = await db.select().from(billingOrgs);
  const result: DraftResult = { drafted: [], skippedIssued: [], gaps };

  // Per day, so each day is priced as it was then (a price change inside the period splits the line).
  const dailyUsage = await db
    .select({
      orgId: billingUsageSamples.orgId,
      meter: billingUsageSamples.meter,
      day: billingUsageSamples.period,
      quantityMilli: sql<string>`sum(${billingUsageSamples.quantityMilli})`,
    })
    .from(billingUsageSamples)
    .where(
      and(
        gte(billingUsageSamples.period, input.periodStart),
        lte(billingUsageSamples.period, input.periodEnd),
        isNotNull(billingUsageSamples.orgId),
        ne(billingUsageSamples.meter, "bandwidth_p95_mbps"),
      ),
    )
    .groupBy(billingUsageSamples.orgId, billingUsageSamples.meter, billingUsageSamples.period);
  const prices = await db.select().from(billingSkuPrices);
  const meteredSkus = skus.filter((s) => s.kind === "infra" && s.meter && s.meter !== "bandwidth_p95_mbps");
  const pricedUsage = priceDailyUsage(
    dailyUsage.map((u) => ({ orgId: u.orgId!, meter: u.meter, day: u.day, quantityMilli: Number(u.quantityMilli) })),
    meteredSkus,
    prices,
  );
  // A charge for the whole period (95th percentile, a licence) is priced as on the period's last day.
  const priceAtEnd = (sku: { id: number; code: string }) => {
    const p = findPriceInForce(prices, sku.id, input.periodEnd);
    if (!p) throw new AppError("CONFLICT", `SKU ${sku.code} has no price in force on ${input.periodEnd}`);
    return p;
  };
  const periodFrom = new Date(`${input.periodStart}T00:00:00Z`);
  const periodTo = new Date(new Date(`${input.periodEnd}T00:00:00Z`).getTime() + 86_400_000);
  const licences = await db
    .select()
    .from(billingLicences)
    .where(
      and(
        lte(billingLicences.validFrom, periodTo),
        or(isNull(billingLicences.validTo), gte(billingLicences.validTo, periodFrom)),
        inArray(billingLicences.status, ["active", "trialing", "past_due", "expired"]),
      ),
    );
  const bandwidth = await readBandwidthPerOrg(db, periodFrom, periodTo, input.bandwidthMode);

  for (const org of orgs) {
    const lines: Array<LineInput & { currency: string }> = [];
    for (const sku of meteredSkus) {
      const segments = pricedUsage.filter((p) => p.orgId === org.id && p.skuId === sku.id && p.quantityMilli > 0);
      for (const p of segments)
        lines.push({
          skuId: sku.id,
          description: `${sku.name} (${sku.unit})${segments.length > 1 ? `, ${p.from} to ${p.to}` : ""}`,
          quantityMilli: p.quantityMilli,
          unitPriceMinor: p.unitPriceMinor,
          currency: p.currency,
        });
    }
    for (const sku of skus.filter((s) => s.kind === "infra" && s.meter === "bandwidth_p95_mbps")) {
      const q = bandwidth.get(org.id) ?? 0;
      const p = q > 0 ? priceAtEnd(sku) : null;
      if (p) lines.push({ skuId: sku.id, description: `${sku.name} (${sku.unit})`, quantityMilli: q, unitPriceMinor: p.unitPriceMinor, currency: p.currency });
    }
    for (const l of licences.filter((x) => x.orgId === org.id)) {
      const sku = skus.find((s) => s.id === l.skuId)!;
      if (l.seatCount <= 0) continue;
      const what = `${sku.name}: licence ${l.id}${l.project ? ` (${l.project})` : ""}, ${l.seatCount} seat(s)`;
      // One owner per charge: a licence a Stripe subscription bills is Stripe's to charge (in a
      // trial Stripe charges nothing); it is listed so the invoice shows it, at price 0.
      if (l.stripeSubscriptionId)
        lines.push({
          skuId: sku.id,
          description: `${what}: billed by Stripe (subscription ${l.stripeSubscriptionId}${l.status === "trialing" ? ", in trial: nothing charged" : ""})`,
          quantityMilli: l.seatCount * 1000,
          unitPriceMinor: 0,
          currency: priceAtEnd(sku).currency,
          billedBy: "stripe",
        });
      else if (l.status !== "trialing") {
        const p = priceAtEnd(sku);
        lines.push({ skuId: sku.id, description: what, quantityMilli: l.seatCount * 1000, unitPriceMinor: p.unitPriceMinor, currency: p.currency });
      }
    }
    const currencies = [...new Set(lines.map((l) => l.currency))].sort();
    // A stale draft overlapping the period in a currency that has no lines any more goes.
    await db.transaction((tx) => removeStaleDrafts(tx, actor, { org, period: input, keep: currencies }));
    for (const currency of currencies) {
      const mine = lines.filter((l) => l.currency === currency);
      const out = await db.transaction((tx) => writeDraft(tx, actor, { org, currency, period: input, lines: mine }));
      if ("skipped" in out) result.skippedIssued.push({ invoiceId: out.skipped, org: org.code, currency });
      else result.drafted.push({ invoiceId: out.invoice.id, org: org.code, currency, totalMinor: out.invoice.totalMinor, lines: mine.length });
    }
  }
  return result;
}

async function writeDraft(
  tx: Tx,
  actor: Actor,
  o: { org: { id: number; code: string }; currency: string; period: { periodStart: string; periodEnd: string }; lines: LineInput[] },
): Promise<{ invoice: BillingInvoiceRow } | { skipped: number }> {
  // Serialises drafting and issuing of one org (two drafts racing would meet the exclusion constraint).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`billing-invoice:${o.org.id}`}))`);
  const overlapping = and(
    eq(billingInvoices.orgId, o.org.id),
    eq(billingInvoices.currency, o.currency),
    isNull(billingInvoices.correctsInvoiceId),
    sql`daterange(${billingInvoices.periodStart}, ${billingInvoices.periodEnd}, '[]') && daterange(${o.period.periodStart}::date, ${o.period.periodEnd}::date, '[]')`,
  );
  // Any issued day of the period is billed already: the whole period is left to a credit note or a
  // period that does not overlap (the database refuses two issued invoices over one day too).
  const [issued] = await tx
    .select()
    .from(billingInvoices)
    .where(and(overlapping, inArray(billingInvoices.status, ["issued", "paid"])));
  if (issued) return { skipped: issued.id };
  const { lines, totalMinor } = computeInvoice(o.lines);
  const drafts = await tx
    .select()
    .from(billingInvoices)
    .where(and(overlapping, eq(billingInvoices.status, "draft")))
    .for("update");
  const existing = drafts.find((d) => d.periodStart === o.period.periodStart && d.periodEnd === o.period.periodEnd);
  // Overlapping drafts of another period are replaced by this one.
  for (const d of drafts.filter((x) => x !== existing)) await deleteDraft(tx, actor, d, "replaced by a draft of an overlapping period");
  let invoice: BillingInvoiceRow;
  if (existing) {
    await tx.delete(billingInvoiceLines).where(eq(billingInvoiceLines.invoiceId, existing.id));
    [invoice] = (await tx.update(billingInvoices).set({ totalMinor, updatedAt: new Date() }).where(eq(billingInvoices.id, existing.id)).returning()) as [
      BillingInvoiceRow,
    ];
  } else {
    [invoice] = (await tx
      .insert(billingInvoices)
      .values({ orgId: o.org.id, periodStart: o.period.periodStart, periodEnd: o.period.periodEnd, currency: o.currency, totalMinor })
      .returning()) as [BillingInvoiceRow];
  }
  if (lines.length) await tx.insert(billingInvoiceLines).values(lines.map((l) => ({ ...l, billedBy: l.billedBy ?? "us", invoiceId: invoice.id })));
  await writeAudit(tx, actor, {
    action: existing ? "billing.invoice.redraft" : "billing.invoice.draft",
    entityType: "invoice",
    entityId: String(invoice.id),
    before: existing ? { totalMinor: existing.totalMinor } : null,
    after: { org: o.org.code, currency: o.currency, totalMinor, lines: lines.length },
  });
  return { invoice };
}

async function deleteDraft(tx: Tx, actor: Actor, d: BillingInvoiceRow, why: string) {
  await tx.delete(billingInvoiceLines).where(eq(billingInvoiceLines.invoiceId, d.id));
  await tx.delete(billingInvoices).where(and(eq(billingInvoices.id, d.id), eq(billingInvoices.status, "draft")));
  await writeAudit(tx, actor, {
    action: "billing.invoice.draft_removed",
    entityType: "invoice",
    entityId: String(d.id),
    before: { periodStart: d.periodStart, periodEnd: d.periodEnd, currency: d.currency, totalMinor: d.totalMinor },
    after: { why },
  });
}

/** Drafts of `org` overlapping the period in a currency not in `keep`: a re-draft that has no lines in that currency any more. */
async function removeStaleDrafts(tx: Tx, actor: Actor, o: { org: { id: number }; period: { periodStart: string; periodEnd: string }; keep: string[] }) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`billing-invoice:${o.org.id}`}))`);
  const stale = await tx
    .select()
    .from(billingInvoices)
    .where(
      and(
        eq(billingInvoices.orgId, o.org.id),
        eq(billingInvoices.status, "draft"),
        isNull(billingInvoices.correctsInvoiceId),
        o.keep.length ? notInArray(billingInvoices.currency, o.keep) : undefined,
        sql`daterange(${billingInvoices.periodStart}, ${billingInvoices.periodEnd}, '[]') && daterange(${o.period.periodStart}::date, ${o.period.periodEnd}::date, '[]')`,
      ),
    )
    .for("update");
  for (const d of stale) await deleteDraft(tx, actor, d, "a re-draft of the period has no lines in this currency");
}

/** Each org's billable rate for the period: the 95th percentile per server, summed over its servers (thousandths of Mbit/s). */
async function readBandwidthPerOrg(db: Db, from: Date, to: Date, mode: BandwidthMode): Promise<Map<number, number>> {
  const [percentiles, bindings] = await Promise.all([
    listServerPercentiles95(db, from, to),
    db.select().from(billingObjectOrgs).where(like(billingObjectOrgs.object, "server:%")),
  ]);
  const orgOf = new Map(bindings.map((b) => [b.object, b.orgId]));
  const out = new Map<number, number>();
  for (const p of percentiles) {
    const orgId = orgOf.get(`server:${p.serverId}`);
    if (orgId !== undefined) out.set(orgId, (out.get(orgId) ?? 0) + Math.round(selectBillableRate(p, mode) / 1000));
  }
  return out;
}

async function lockInvoice(tx: Tx, id: number): Promise<BillingInvoiceRow> {
  const [inv] = await tx.select().from(billingInvoices).where(eq(billingInvoices.id, id)).for("update");
  if (!inv) throw new AppError("NOT_FOUND", `invoice ${id} does not exist`, { field: "invoiceId" });
  return inv;
}

/** draft → issued: from here on its lines and total never change. */
export async function issueInvoice(db: Db, actor: Actor, invoiceId: number): Promise<BillingInvoiceRow> {
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, invoiceId);
    if (inv.status !== "draft") throw new AppError("CONFLICT", `invoice ${inv.id} is ${inv.status}, not a draft: only drafts are issued`);
    if (inv.correctsInvoiceId === null) {
      const [clash] = await tx
        .select({ id: billingInvoices.id })
        .from(billingInvoices)
        .where(
          and(
            eq(billingInvoices.orgId, inv.orgId),
            eq(billingInvoices.currency, inv.currency),
            isNull(billingInvoices.correctsInvoiceId),
            inArray(billingInvoices.status, ["issued", "paid"]),
            sql`daterange(${billingInvoices.periodStart}, ${billingInvoices.periodEnd}, '[]') && daterange(${inv.periodStart}::date, ${inv.periodEnd}::date, '[]')`,
          ),
        );
      if (clash) throw new AppError("CONFLICT", `invoice ${clash.id} already bills days of ${inv.periodStart}..${inv.periodEnd}: a day is billed once`);
    }
    const [row] = await tx
      .update(billingInvoices)
      .set({ status: "issued", issuedAt: new Date(), updatedAt: new Date() })
      .where(eq(billingInvoices.id, inv.id))
      .returning()
      .catch(rethrowMoneyRule);
    await writeAudit(tx, actor, {
      action: "billing.invoice.issue",
      entityType: "invoice",
      entityId: String(inv.id),
      before: { status: inv.status },
      after: { status: "issued", totalMinor: inv.totalMinor },
    });
    return row!;
  });
}

/** Voids a draft or an unpaid issued invoice (a paid one is corrected with a credit note). */
export async function voidInvoice(db: Db, actor: Actor, invoiceId: number): Promise<BillingInvoiceRow> {
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, invoiceId);
    if (inv.status === "paid" || inv.status === "void")
      throw new AppError("CONFLICT", `invoice ${inv.id} is ${inv.status}: it cannot be voided; issue a credit note instead`);
    if (inv.creditedMinor !== 0 || inv.paidMinor !== 0)
      throw new AppError("CONFLICT", `invoice ${inv.id} was credited or (partly) paid: it cannot be voided; issue a credit note instead`);
    const [row] = await tx
      .update(billingInvoices)
      .set({ status: "void", voidedAt: new Date(), updatedAt: new Date() })
      .where(eq(billingInvoices.id, inv.id))
      .returning();
    await writeAudit(tx, actor, {
      action: "billing.invoice.void",
      entityType: "invoice",
      entityId: String(inv.id),
      before: { status: inv.status },
      after: { status: "void" },
    });
    return row!;
  });
}

/** A correction of an issued or paid invoice: a new draft with one credit line (negative amount) pointing at it. */
export async function createCreditNote(db: Db, actor: Actor, input: { invoiceId: number; amountMinor: number; reason: string }): Promise<BillingInvoiceRow> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
    throw new AppError("BAD_REQUEST", "credit amount: a whole number of minor units above 0", { field: "amountMinor" });
  const reason = input.reason.trim();
  if (!reason) throw new AppError("BAD_REQUEST", "a credit note says why", { field: "reason" });
  return db.transaction(async (tx) => {
    const inv = await lockInvoice(tx, input.invoiceId);
    if (inv.status !== "issued" && inv.status !== "paid")
      throw new AppError("CONFLICT", `invoice ${inv.id} is ${inv.status}: change the draft itself, or nothing to credit`);
    if (inv.correctsInvoiceId !== null) throw new AppError("CONFLICT", `invoice ${inv.id} is a credit note: credit the invoice it corrects`);
    // What is left of the total after every earlier credit (the database checks the same, under this row's lock).
    const left = inv.totalMinor - inv.creditedMinor;
    if (input.amountMinor > left)
      throw new AppError("BAD_REQUEST", `credit ${input.amountMinor} is more than the ${left} left of invoice ${inv.id}'s total ${inv.totalMinor}`, {
        field: "amountMinor",
      });
    const { lines, totalMinor } = computeInvoice([
      { skuId: null, description: `Credit for invoice ${inv.id}: ${reason}`, quantityMilli: -1000, unitPriceMinor: input.amountMinor },
    ]);
    const [note] = await tx
      .insert(billingInvoices)
      .values({ orgId: inv.orgId, periodStart: inv.periodStart, periodEnd: inv.periodEnd, currency: inv.currency, totalMinor, correctsInvoiceId: inv.id })
      .returning()
      .catch(rethrowMoneyRule);
    await tx.insert(billingInvoiceLines).values(lines.map((l) => ({ ...l, invoiceId: note!.id })));
    await writeAudit(tx, actor, {
      action: "billing.invoice.credit",
      entityType: "invoice",
      entityId: String(note!.id),
      after: { corrects: inv.id, totalMinor, reason },
    });
    return note!;
  });
}

/** A money rule the database refused (check, exclusion), as the AppError a caller understands. */
function rethrowMoneyRule(e: unknown): never {
  const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  const message = (e as { message?: string; cause?: { message?: string } }).cause?.message ?? (e as Error).message;
  if (code === "23514" || code === "23P01") throw new AppError("CONFLICT", `refused by the database: ${message}`);
  throw e;
}
