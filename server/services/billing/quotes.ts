import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import { billingLicences, billingOrgs, billingQuoteLines, billingQuotes, billingSkus, type BillingQuoteRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import {
  assertQuoteTransition,
  isQuoteExpired,
  licencesOnAccept,
  priceQuote,
  quoteNumber,
  utcDay,
  type QuoteDocument,
  type QuoteLineRequest,
  type QuoteSku,
  type QuoteStatus,
} from "@/lib/billing/quotes";
import type { Db, DbOrTx, Tx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";

// Quotes: drafted from the catalogue, sent, then accepted (licences created), declined or expired.
// Each change is one transaction with its audit row; the database refuses a status change the
// graph does not allow and an acceptance after the quote's last valid day (migration
// billing_quotes_guards), whatever this code does.

export interface QuoteDeps {
  /** The clock (tests move it); validity is judged on its UTC day. */
  now?: () => Date;
}
const clock = (deps: QuoteDeps) => (deps.now ?? (() => new Date()))();

export interface CreateQuoteInput {
  orgId: number;
  currency: string;
  validUntil: string;
  note?: string | null;
  lines: QuoteLineRequest[];
}

async function loadSkus(tx: DbOrTx, ids: number[]): Promise<Map<number, QuoteSku>> {
  const rows = ids.length ? await tx.select().from(billingSkus).where(inArray(billingSkus.id, ids)) : [];
  return new Map(rows.map((s) => [s.id, s]));
}

/** A draft quote, every line priced from its SKU now. */
export async function createQuote(db: Db, actor: Actor, input: CreateQuoteInput, deps: QuoteDeps = {}): Promise<BillingQuoteRow> {
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new AppError("BAD_REQUEST", `currency: "${input.currency}" is not an ISO 4217 code`, { field: "currency" });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.validUntil) || Number.isNaN(Date.parse(`${input.validUntil}T00:00:00Z`)))
    throw new AppError("BAD_REQUEST", `valid until: "${input.validUntil}" is not a date (YYYY-MM-DD)`, { field: "validUntil" });
  if (isQuoteExpired(input.validUntil, clock(deps)))
    throw new AppError("BAD_REQUEST", `valid until ${input.validUntil} is already past`, { field: "validUntil" });
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(billingOrgs).where(eq(billingOrgs.id, input.orgId));
    if (!org) throw new AppError("NOT_FOUND", `org ${input.orgId} does not exist`, { field: "orgId" });
    const { lines, totalMinor } = priceQuote(
      currency,
      input.lines,
      await loadSkus(
        tx,
        input.lines.map((l) => l.skuId),
      ),
    );
    const [quote] = await tx
      .insert(billingQuotes)
      .values({ orgId: org.id, currency, validUntil: input.validUntil, note: input.note?.trim() || null, totalMinor })
      .returning();
    await tx.insert(billingQuoteLines).values(lines.map((l) => ({ ...l, quoteId: quote!.id })));
    await writeAudit(tx, actor, { action: "billing.quote.create", entityType: "quote", entityId: String(quote!.id), after: { ...quote, lines } });
    return quote!;
  });
}

async function lockQuote(tx: Tx, id: number): Promise<BillingQuoteRow> {
  const [quote] = await tx.select().from(billingQuotes).where(eq(billingQuotes.id, id)).for("update");
  if (!quote) throw new AppError("NOT_FOUND", `quote ${id} does not exist`, { field: "id" });
  return quote;
}

async function moveQuote(db: Db, actor: Actor, id: number, to: QuoteStatus, deps: QuoteDeps): Promise<BillingQuoteRow> {
  return db.transaction(async (tx) => {
    const quote = await lockQuote(tx, id);
    assertQuoteTransition(id, quote.status, to);
    const now = clock(deps);
    if (to === "sent" && isQuoteExpired(quote.validUntil, now))
      throw new AppError("CONFLICT", `quote ${id} was valid until ${quote.validUntil}: it cannot be sent`, { field: "status" });
    const stamp = to === "sent" ? { sentAt: now } : to === "declined" ? { declinedAt: now } : {};
    const [row] = await tx
      .update(billingQuotes)
      .set({ status: to, ...stamp, updatedAt: now })
      .where(eq(billingQuotes.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: `billing.quote.${to === "sent" ? "send" : "decline"}`,
      entityType: "quote",
      entityId: String(id),
      before: { status: quote.status },
      after: { status: to },
    });
    return row!;
  });
}

/** Draft → sent: the quote goes to the customer (its PDF and CSV are the documents). */
export const sendQuote = (db: Db, actor: Actor, id: number, deps: QuoteDeps = {}) => moveQuote(db, actor, id, "sent", deps);
export const declineQuote = (db: Db, actor: Actor, id: number, deps: QuoteDeps = {}) => moveQuote(db, actor, id, "declined", deps);

/**
 * Sent → accepted, within its validity: every licence line becomes a licence of that many seats for
 * the org from now, in the same transaction as the status and the audit (all or nothing). An
 * expired quote (past its day, whether or not the nightly run marked it yet) is refused.
 */
export async function acceptQuote(db: Db, actor: Actor, id: number, deps: QuoteDeps = {}): Promise<{ quote: BillingQuoteRow; licenceIds: number[] }> {
  return db.transaction(async (tx) => {
    const quote = await lockQuote(tx, id);
    const now = clock(deps);
    if (quote.status === "sent" && isQuoteExpired(quote.validUntil, now))
      throw new AppError("CONFLICT", `quote ${id} expired: it was valid until ${quote.validUntil}`, { field: "status" });
    assertQuoteTransition(id, quote.status, "accepted");
    const lines = await tx
      .select({ line: billingQuoteLines, kind: billingSkus.kind })
      .from(billingQuoteLines)
      .innerJoin(billingSkus, eq(billingSkus.id, billingQuoteLines.skuId))
      .where(eq(billingQuoteLines.quoteId, id))
      .orderBy(asc(billingQuoteLines.position));
    const licenceIds: number[] = [];
    for (const { line, seats } of licencesOnAccept(lines.map(({ line, kind }) => ({ line, kind, quantityMilli: line.quantityMilli })))) {
      const [licence] = await tx.insert(billingLicences).values({ skuId: line.skuId, orgId: quote.orgId, seatCount: seats, validFrom: now }).returning();
      await tx.update(billingQuoteLines).set({ licenceId: licence!.id }).where(eq(billingQuoteLines.id, line.id));
      await writeAudit(tx, actor, {
        action: "billing.licence.create",
        entityType: "licence",
        entityId: String(licence!.id),
        after: { ...licence, fromQuote: id },
      });
      licenceIds.push(licence!.id);
    }
    const [row] = await tx.update(billingQuotes).set({ status: "accepted", acceptedAt: now, updatedAt: now }).where(eq(billingQuotes.id, id)).returning();
    await writeAudit(tx, actor, {
      action: "billing.quote.accept",
      entityType: "quote",
      entityId: String(id),
      before: { status: quote.status },
      after: { status: "accepted", licenceIds },
    });
    return { quote: row!, licenceIds };
  });
}

/** Nightly: every draft or sent quote past its last valid day becomes expired (audited, one transaction). */
export async function expireQuotes(db: Db, actor: Actor, deps: QuoteDeps = {}): Promise<number[]> {
  const now = clock(deps);
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(billingQuotes)
      .set({ status: "expired", expiredAt: now, updatedAt: now })
      .where(and(inArray(billingQuotes.status, ["draft", "sent"]), lt(billingQuotes.validUntil, utcDay(now))))
      .returning({ id: billingQuotes.id, validUntil: billingQuotes.validUntil });
    for (const r of rows)
      await writeAudit(tx, actor, {
        action: "billing.quote.expire",
        entityType: "quote",
        entityId: String(r.id),
        after: { status: "expired", validUntil: r.validUntil },
      });
    return rows.map((r) => r.id);
  });
}

export interface QuoteListRow {
  id: number;
  number: string;
  orgCode: string;
  orgName: string;
  status: QuoteStatus;
  currency: string;
  totalMinor: number;
  validUntil: string;
  createdAt: Date;
  /** Its lines, for the page's confirmations (what Accept will create). */
  lines: Array<{ skuCode: string; unit: string; kind: string; quantityMilli: number }>;
}

export async function listQuotes(db: DbOrTx): Promise<QuoteListRow[]> {
  const rows = await db
    .select({ quote: billingQuotes, orgCode: billingOrgs.code, orgName: billingOrgs.name })
    .from(billingQuotes)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingQuotes.orgId))
    .orderBy(desc(billingQuotes.id))
    .limit(200);
  const ids = rows.map((r) => r.quote.id);
  const lines = ids.length
    ? await db
        .select({
          quoteId: billingQuoteLines.quoteId,
          skuCode: billingSkus.code,
          unit: billingSkus.unit,
          kind: billingSkus.kind,
          quantityMilli: billingQuoteLines.quantityMilli,
        })
        .from(billingQuoteLines)
        .innerJoin(billingSkus, eq(billingSkus.id, billingQuoteLines.skuId))
        .where(inArray(billingQuoteLines.quoteId, ids))
        .orderBy(asc(billingQuoteLines.quoteId), asc(billingQuoteLines.position))
    : [];
  return rows.map(({ quote: q, orgCode, orgName }) => ({
    id: q.id,
    number: quoteNumber(q.id),
    orgCode,
    orgName,
    status: q.status,
    currency: q.currency,
    totalMinor: q.totalMinor,
    validUntil: q.validUntil,
    createdAt: q.createdAt,
    lines: lines.filter((l) => l.quoteId === q.id).map(({ skuCode, unit, kind, quantityMilli }) => ({ skuCode, unit, kind, quantityMilli })),
  }));
}

/** One quote with its lines: what the page, the CSV and the PDF show. */
export async function getQuoteDocument(db: DbOrTx, id: number): Promise<QuoteDocument> {
  const [head] = await db
    .select({ quote: billingQuotes, orgCode: billingOrgs.code, orgName: billingOrgs.name })
    .from(billingQuotes)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingQuotes.orgId))
    .where(eq(billingQuotes.id, id));
  if (!head) throw new AppError("NOT_FOUND", `quote ${id} does not exist`, { field: "id" });
  const lines = await db
    .select({ line: billingQuoteLines, skuCode: billingSkus.code, unit: billingSkus.unit })
    .from(billingQuoteLines)
    .innerJoin(billingSkus, eq(billingSkus.id, billingQuoteLines.skuId))
    .where(eq(billingQuoteLines.quoteId, id))
    .orderBy(asc(billingQuoteLines.position));
  const q = head.quote;
  return {
    id: q.id,
    orgCode: head.orgCode,
    orgName: head.orgName,
    currency: q.currency,
    status: q.status,
    validUntil: q.validUntil,
    createdAt: q.createdAt,
    sentAt: q.sentAt,
    note: q.note,
    totalMinor: q.totalMinor,
    lines: lines.map(({ line: l, skuCode, unit }) => ({
      position: l.position,
      skuId: l.skuId,
      description: l.description,
      quantityMilli: l.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      amountMinor: l.amountMinor,
      skuCode,
      unit,
      licenceId: l.licenceId,
    })),
  };
}
