import type { CsvCell } from "../csv/format-csv";
import { AppError } from "../errors";
import { computeInvoice, formatMilli, formatMoney, MILLI } from "./money";

// Quotes (issue 25, point 8): a priced proposal for an organisation from the SKU catalogue, valid
// until a UTC day. The rules here are pure; the database repeats the ones money depends on
// (amounts ≥ 0, currency, the status graph, acceptance within validity: migration
// billing_quotes_guards), so a bug in a service cannot write a state these refuse.

export const QUOTE_STATUSES = ["draft", "sent", "accepted", "expired", "declined"] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** Where each status may go. accepted, expired and declined are final. */
export const QUOTE_TRANSITIONS: Record<QuoteStatus, readonly QuoteStatus[]> = {
  draft: ["sent", "declined", "expired"],
  sent: ["accepted", "declined", "expired"],
  accepted: [],
  expired: [],
  declined: [],
};

export function assertQuoteTransition(id: number, from: QuoteStatus, to: QuoteStatus): void {
  if (!QUOTE_TRANSITIONS[from].includes(to)) throw new AppError("CONFLICT", `quote ${id} is ${from}: it cannot become ${to}`, { field: "status" });
}

/** The UTC day of an instant (YYYY-MM-DD). */
/**
 * The licences accepting a quote creates: one per licence line, of that line's quantity in seats
 * (metered SKUs bill by usage: nothing to create). The service creates exactly these and the
 * Accept dialog lists them, so what is shown is what happens.
 */
export function licencesOnAccept<L extends { kind: string; quantityMilli: number }>(lines: readonly L[]): Array<L & { seats: number }> {
  return lines.filter((l) => l.kind === "licence").map((l) => ({ ...l, seats: l.quantityMilli / MILLI }));
}

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** A quote is valid through its `validUntil` day (UTC), and expired from the day after. */
export function isQuoteExpired(validUntil: string, now: Date): boolean {
  return utcDay(now) > validUntil;
}

export interface QuoteSku {
  id: number;
  code: string;
  name: string;
  kind: "infra" | "licence";
  unit: string;
  unitPriceMinor: number;
  currency: string;
  isActive: boolean;
}

export interface QuoteLineRequest {
  skuId: number;
  quantityMilli: number;
  /** Shown on the quote; the SKU's name when absent. */
  description?: string | null;
}

export interface PricedQuoteLine {
  position: number;
  skuId: number;
  description: string;
  quantityMilli: number;
  unitPriceMinor: number;
  amountMinor: number;
}

/**
 * Lines priced from the catalogue: each at its SKU's price now, in the quote's currency (a SKU of
 * another currency is refused, never converted). A licence line is whole seats: accepting it
 * creates a licence of that many.
 */
export function priceQuote(
  currency: string,
  requests: readonly QuoteLineRequest[],
  skus: ReadonlyMap<number, QuoteSku>,
): { lines: PricedQuoteLine[]; totalMinor: number } {
  if (!requests.length) throw new AppError("BAD_REQUEST", "a quote has at least one line", { field: "lines" });
  const inputs = requests.map((r, i) => {
    const sku = skus.get(r.skuId);
    const field = `lines.${i}`;
    if (!sku) throw new AppError("NOT_FOUND", `line ${i + 1}: SKU ${r.skuId} does not exist`, { field });
    if (!sku.isActive) throw new AppError("BAD_REQUEST", `line ${i + 1}: SKU ${sku.code} is not sold any more`, { field });
    if (sku.currency !== currency)
      throw new AppError("BAD_REQUEST", `line ${i + 1}: SKU ${sku.code} is priced in ${sku.currency}, the quote in ${currency}`, { field });
    if (!Number.isSafeInteger(r.quantityMilli) || r.quantityMilli <= 0)
      throw new AppError("BAD_REQUEST", `line ${i + 1}: the quantity must be more than 0`, { field });
    if (sku.kind === "licence" && r.quantityMilli % MILLI !== 0)
      throw new AppError("BAD_REQUEST", `line ${i + 1}: ${sku.code} is sold in whole seats, not ${formatMilli(r.quantityMilli)}`, { field });
    return { skuId: sku.id, description: r.description?.trim() || sku.name, quantityMilli: r.quantityMilli, unitPriceMinor: sku.unitPriceMinor };
  });
  const { lines, totalMinor } = computeInvoice(inputs);
  return {
    lines: lines.map((l) => ({
      position: l.position,
      skuId: l.skuId!,
      description: l.description,
      quantityMilli: l.quantityMilli,
      unitPriceMinor: l.unitPriceMinor,
      amountMinor: l.amountMinor,
    })),
    totalMinor,
  };
}

/** A quote with its lines and names, as the page, the CSV and the PDF read it (one query). */
export interface QuoteDocument {
  id: number;
  orgCode: string;
  orgName: string;
  currency: string;
  status: QuoteStatus;
  validUntil: string;
  createdAt: Date;
  sentAt: Date | null;
  note: string | null;
  totalMinor: number;
  lines: Array<PricedQuoteLine & { skuCode: string; unit: string; licenceId: number | null }>;
}

export const quoteNumber = (id: number) => `Q-${String(id).padStart(5, "0")}`;

export const QUOTE_CSV_VERSION = "billing-quote/1";
export const QUOTE_COLUMNS = [
  "schema_version",
  "quote",
  "org_code",
  "org_name",
  "status",
  "valid_until_utc",
  "line",
  "sku_code",
  "description",
  "quantity_milli",
  "unit",
  "unit_price_minor",
  "amount_minor",
  "currency",
];

export function formatQuoteCsvRows(q: QuoteDocument): CsvCell[][] {
  return q.lines.map((l) => [
    QUOTE_CSV_VERSION,
    quoteNumber(q.id),
    q.orgCode,
    q.orgName,
    q.status,
    q.validUntil,
    l.position,
    l.skuCode,
    l.description,
    l.quantityMilli,
    l.unit,
    l.unitPriceMinor,
    l.amountMinor,
    q.currency,
  ]);
}

/** The PDF's text, top to bottom: a heading, facts, a table of lines and the total (pure, so tested without a PDF reader). */
export function describeQuoteDocument(q: QuoteDocument): {
  title: string;
  facts: Array<[string, string]>;
  header: string[];
  rows: string[][];
  total: string;
} {
  return {
    title: `Quote ${quoteNumber(q.id)}`,
    facts: [
      ["For", `${q.orgName} (${q.orgCode})`],
      ["Date (UTC)", utcDay(q.sentAt ?? q.createdAt)],
      ["Valid until (UTC, inclusive)", q.validUntil],
      ["Status", q.status],
      ...(q.note ? ([["Note", q.note]] as Array<[string, string]>) : []),
    ],
    header: ["#", "Item", "Description", "Quantity", "Unit price", "Amount"],
    rows: q.lines.map((l) => [
      String(l.position),
      l.skuCode,
      l.description,
      `${formatMilli(l.quantityMilli)} ${l.unit}`,
      formatMoney(l.unitPriceMinor, q.currency),
      formatMoney(l.amountMinor, q.currency),
    ]),
    total: formatMoney(q.totalMinor, q.currency),
  };
}
