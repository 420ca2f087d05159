// Payments are matched, not trusted (issue 25): a payment Stripe reports applies to one of our
// invoices only if it is issued, of the same customer and currency; its amount is then compared
// with what is due (total less credits). Anything else is "needs a look" with a reason and changes
// no invoice. The ledger's one rule: balance = issued − credited − paid (paid net of refunds).

export interface InvoiceForMatch {
  id: number;
  status: "draft" | "issued" | "paid" | "void";
  currency: string;
  totalMinor: number;
  creditedMinor: number;
  /** Set on credit notes: they are not paid through Stripe. */
  correctsInvoiceId: number | null;
  /** The org's Stripe customer id (null: the org is not linked to Stripe). */
  orgStripeCustomerId: string | null;
}

export interface StripeMoney {
  customer: string;
  /** Stripe's currency: lower-case ISO 4217 (https://docs.stripe.com/api/invoices/object#invoice_object-currency). */
  currency: string;
  amountMinor: number;
}

export type MatchVerdict = { ok: true } | { ok: false; reason: string };

/** Whether Stripe's money can be booked against `inv` at all (who, which currency, which state). */
export function matchStripeMoney(inv: InvoiceForMatch, money: StripeMoney, what: "payment" | "refund" | "credit note"): MatchVerdict {
  if (inv.correctsInvoiceId !== null) return { ok: false, reason: `invoice ${inv.id} is a credit note: a ${what} is not booked on it` };
  if (inv.status === "draft") return { ok: false, reason: `invoice ${inv.id} is a draft (never issued): a ${what} cannot apply to it` };
  if (inv.status === "void") return { ok: false, reason: `invoice ${inv.id} is void: a ${what} cannot apply to it` };
  if (!inv.orgStripeCustomerId)
    return { ok: false, reason: `invoice ${inv.id}'s organisation is not linked to a Stripe customer; the ${what} names ${money.customer}` };
  if (inv.orgStripeCustomerId !== money.customer)
    return { ok: false, reason: `the ${what} names Stripe customer ${money.customer}, invoice ${inv.id} belongs to ${inv.orgStripeCustomerId}` };
  if (money.currency.toUpperCase() !== inv.currency.toUpperCase())
    return { ok: false, reason: `the ${what} is in ${money.currency.toUpperCase()}, invoice ${inv.id} in ${inv.currency}` };
  if (!Number.isSafeInteger(money.amountMinor) || money.amountMinor < 0)
    return { ok: false, reason: `the ${what}'s amount ${money.amountMinor} is not a whole, non-negative number` };
  return { ok: true };
}

/** What is due on an invoice: its total less what credit notes took off. */
export const computeDue = (inv: { totalMinor: number; creditedMinor: number }) => inv.totalMinor - inv.creditedMinor;

/** A payment's amount against what is due. */
export function classifyPayment(dueMinor: number, paidMinor: number): "exact" | "partial" | "over" {
  return paidMinor === dueMinor ? "exact" : paidMinor < dueMinor ? "partial" : "over";
}

/**
 * The invoice's status from its money: paid once what was paid (net of refunds) covers what is due
 * and something was paid; otherwise it stays issued (still owed, or refunded back to owed).
 */
export function deriveStatus(inv: { status: "issued" | "paid"; totalMinor: number; creditedMinor: number }, netPaidMinor: number): "issued" | "paid" {
  return netPaidMinor > 0 && netPaidMinor >= computeDue(inv) ? "paid" : "issued";
}

export interface LedgerInvoice {
  status: "draft" | "issued" | "paid" | "void";
  correctsInvoiceId: number | null;
  totalMinor: number;
  creditedMinor: number;
  paidMinor: number;
}

export interface LedgerTotals {
  issuedMinor: number;
  creditedMinor: number;
  paidMinor: number;
  balanceMinor: number;
}

/**
 * An organisation's ledger in one currency: issued = totals of its issued or paid invoices (drafts,
 * void invoices and credit notes excluded; credit notes are counted as "credited" on the invoice they
 * correct), credited = credit notes (ours and Stripe's), paid = payments less refunds.
 */
export function computeLedger(invoices: readonly LedgerInvoice[]): LedgerTotals {
  let issued = 0;
  let credited = 0;
  let paid = 0;
  for (const i of invoices) {
    if (i.correctsInvoiceId !== null || (i.status !== "issued" && i.status !== "paid")) continue;
    issued += i.totalMinor;
    credited += i.creditedMinor;
    paid += i.paidMinor;
  }
  return { issuedMinor: issued, creditedMinor: credited, paidMinor: paid, balanceMinor: issued - credited - paid };
}

export interface CheckInput {
  id: number;
  status: LedgerInvoice["status"];
  correctsInvoiceId: number | null;
  totalMinor: number;
  creditedMinor: number;
  paidMinor: number;
  linesSumMinor: number;
  /** Sum of the payment, refund and Stripe credit-note rows, recomputed. */
  paymentsMinor: number;
  refundsMinor: number;
  stripeCreditsMinor: number;
  creditNotesMinor: number;
  hasMismatchedPayment: boolean;
}

/** The nightly check's verdict on one invoice: each thing that does not add up, in words. */
export function checkInvoiceMoney(i: CheckInput): string[] {
  const flags: string[] = [];
  if (i.linesSumMinor !== i.totalMinor) flags.push(`lines add up to ${i.linesSumMinor}, the total says ${i.totalMinor}`);
  if (i.correctsInvoiceId !== null) return flags;
  if (i.paidMinor !== i.paymentsMinor - i.refundsMinor) flags.push(`paid ${i.paidMinor} is not payments ${i.paymentsMinor} less refunds ${i.refundsMinor}`);
  if (i.creditedMinor !== i.creditNotesMinor + i.stripeCreditsMinor)
    flags.push(`credited ${i.creditedMinor} is not credit notes ${i.creditNotesMinor} plus Stripe's ${i.stripeCreditsMinor}`);
  if (i.hasMismatchedPayment) flags.push("a payment did not match what was due (partial or over)");
  if (i.status === "paid" && i.paidMinor < i.totalMinor - i.creditedMinor)
    flags.push(`marked paid with ${i.paidMinor} of ${i.totalMinor - i.creditedMinor} due`);
  if ((i.status === "draft" || i.status === "void") && i.paymentsMinor > 0) flags.push(`${i.status} with payments on it`);
  return flags;
}
