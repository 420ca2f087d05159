import { asc, desc, eq, sql } from "drizzle-orm";
import { billingInvoices, billingLedgerChecks, billingOrgs, billingPayments, billingStripeEvents } from "@/drizzle/schema";
import { checkInvoiceMoney, computeLedger, type LedgerInvoice, type LedgerTotals } from "@/lib/billing/ledger";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";

export interface LedgerRow extends LedgerTotals {
  orgCode: string;
  orgName: string;
  currency: string;
  invoices: number;
}

/**
 * Per organisation and currency: issued − credited − paid = balance. The page, the tRPC query and
 * the `billing-ledger/1` CSV all read this one function (one answer everywhere).
 */
export async function listLedger(db: DbOrTx): Promise<LedgerRow[]> {
  const rows = await db
    .select({
      orgCode: billingOrgs.code,
      orgName: billingOrgs.name,
      currency: billingInvoices.currency,
      status: billingInvoices.status,
      correctsInvoiceId: billingInvoices.correctsInvoiceId,
      totalMinor: billingInvoices.totalMinor,
      creditedMinor: billingInvoices.creditedMinor,
      paidMinor: billingInvoices.paidMinor,
    })
    .from(billingInvoices)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingInvoices.orgId))
    .orderBy(asc(billingOrgs.code), asc(billingInvoices.currency));
  const groups = new Map<string, { orgCode: string; orgName: string; currency: string; invoices: LedgerInvoice[] }>();
  for (const r of rows) {
    const key = `${r.orgCode}\u0000${r.currency}`;
    const g = groups.get(key) ?? { orgCode: r.orgCode, orgName: r.orgName, currency: r.currency, invoices: [] };
    g.invoices.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    orgCode: g.orgCode,
    orgName: g.orgName,
    currency: g.currency,
    invoices: g.invoices.filter((i) => i.correctsInvoiceId === null && (i.status === "issued" || i.status === "paid")).length,
    ...computeLedger(g.invoices),
  }));
}

/** Stripe deliveries stored but applied to nothing, with the reason: finance's "needs a look" list. */
export const listNeedsLook = (db: DbOrTx, limit = 100) =>
  db
    .select({
      id: billingStripeEvents.id,
      type: billingStripeEvents.type,
      objectId: billingStripeEvents.objectId,
      note: billingStripeEvents.note,
      receivedAt: billingStripeEvents.receivedAt,
    })
    .from(billingStripeEvents)
    .where(eq(billingStripeEvents.status, "needs_look"))
    .orderBy(desc(billingStripeEvents.receivedAt))
    .limit(limit);

export interface LedgerFlag {
  invoiceId: number;
  orgCode: string;
  flags: string[];
}

/** Every invoice's figures recomputed from its lines, payment rows and credit notes, and what does not add up. */
export async function findLedgerFlags(db: DbOrTx): Promise<{ invoices: number; flags: LedgerFlag[] }> {
  const p = billingPayments;
  const rows = await db
    .select({
      id: billingInvoices.id,
      orgCode: billingOrgs.code,
      status: billingInvoices.status,
      correctsInvoiceId: billingInvoices.correctsInvoiceId,
      totalMinor: billingInvoices.totalMinor,
      creditedMinor: billingInvoices.creditedMinor,
      paidMinor: billingInvoices.paidMinor,
      linesSumMinor: sql<string>`(select coalesce(sum(l.amount_minor), 0) from billing_invoice_lines l where l.invoice_id = ${billingInvoices.id})`,
      paymentsMinor: sql<string>`(select coalesce(sum(${p.amountMinor}), 0) from ${p} where ${p.invoiceId} = ${billingInvoices.id} and ${p.kind} = 'payment')`,
      refundsMinor: sql<string>`(select coalesce(sum(${p.amountMinor}), 0) from ${p} where ${p.invoiceId} = ${billingInvoices.id} and ${p.kind} = 'refund')`,
      stripeCreditsMinor: sql<string>`(select coalesce(sum(${p.amountMinor}), 0) from ${p} where ${p.invoiceId} = ${billingInvoices.id} and ${p.kind} = 'credit_note')`,
      creditNotesMinor: sql<string>`(select coalesce(-sum(c.total_minor), 0) from billing_invoices c where c.corrects_invoice_id = ${billingInvoices.id} and c.status <> 'void')`,
      hasMismatchedPayment: sql<boolean>`exists (select 1 from ${p} where ${p.invoiceId} = ${billingInvoices.id} and ${p.kind} = 'payment' and ${p.match} <> 'exact')`,
    })
    .from(billingInvoices)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingInvoices.orgId))
    .orderBy(asc(billingInvoices.id));
  const flags: LedgerFlag[] = [];
  for (const r of rows) {
    const found = checkInvoiceMoney({
      ...r,
      linesSumMinor: Number(r.linesSumMinor),
      paymentsMinor: Number(r.paymentsMinor),
      refundsMinor: Number(r.refundsMinor),
      stripeCreditsMinor: Number(r.stripeCreditsMinor),
      creditNotesMinor: Number(r.creditNotesMinor),
    });
    if (found.length) flags.push({ invoiceId: r.id, orgCode: r.orgCode, flags: found });
  }
  return { invoices: rows.length, flags };
}

/** The nightly check: its findings are stored (the page shows the last) and audited, together. */
export async function runLedgerCheck(db: Db, actor: Actor = { id: "system:check-billing-ledger" }) {
  const found = await findLedgerFlags(db);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(billingLedgerChecks).values({ invoices: found.invoices, flags: found.flags }).returning();
    await writeAudit(tx, actor, {
      action: "billing.ledger.check",
      entityType: "billing_ledger",
      entityId: String(row!.id),
      after: { invoices: found.invoices, flagged: found.flags.map((f) => f.invoiceId) },
    });
    return row!;
  });
}

export async function getLastLedgerCheck(db: DbOrTx) {
  const [row] = await db.select().from(billingLedgerChecks).orderBy(desc(billingLedgerChecks.id)).limit(1);
  return row ? { ...row, flags: row.flags as LedgerFlag[] } : null;
}
