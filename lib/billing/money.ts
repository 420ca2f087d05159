import { AppError } from "../errors";

// Money is integer minor units (cents) plus a currency; quantities are integer thousandths of the
// SKU's unit. Products are done in BigInt so no float ever touches an amount.

export const MILLI = 1000;

/** quantity × unit price, rounded half away from zero to a whole minor unit. */
export function computeLineAmount(quantityMilli: number, unitPriceMinor: number): number {
  assertSafeInteger(quantityMilli, "quantityMilli");
  assertSafeInteger(unitPriceMinor, "unitPriceMinor");
  const product = BigInt(quantityMilli) * BigInt(unitPriceMinor);
  const whole = product / 1000n;
  const rest = product % 1000n;
  const rounded = rest * 2n >= 1000n ? whole + 1n : rest * 2n <= -1000n ? whole - 1n : whole;
  return toSafeNumber(rounded, "line amount");
}

export interface LineInput {
  skuId: number | null;
  description: string;
  quantityMilli: number;
  unitPriceMinor: number;
  /** `stripe`: a Stripe subscription bills it; shown on our invoice at price 0, never in our total. */
  billedBy?: "us" | "stripe";
}
export interface PricedLine extends LineInput {
  position: number;
  amountMinor: number;
}

/** Lines with their amounts and the invoice total: the total is the sum of the rounded lines. */
export function computeInvoice(lines: readonly LineInput[]): { lines: PricedLine[]; totalMinor: number } {
  const priced = lines.map((l, i) => ({ ...l, position: i + 1, amountMinor: computeLineAmount(l.quantityMilli, l.unitPriceMinor) }));
  const total = priced.reduce((sum, l) => sum + BigInt(l.amountMinor), 0n);
  return { lines: priced, totalMinor: toSafeNumber(total, "invoice total") };
}

/** `12500` → `"12.500"`: thousandths as a decimal string (CSV, screens). */
export function formatMilli(quantityMilli: number): string {
  const sign = quantityMilli < 0 ? "-" : "";
  const abs = Math.abs(quantityMilli);
  return `${sign}${Math.floor(abs / MILLI)}.${String(abs % MILLI).padStart(3, "0")}`;
}

/** `"12.5"` → `12500`; more than three decimals or anything else not a number is refused. */
export function parseMilli(text: string, field = "quantity"): number {
  const m = /^(-?)(\d{1,12})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) throw new AppError("BAD_REQUEST", `${field}: "${text}" is not a number with at most 3 decimals`, { field });
  const value = Number(m[2]) * MILLI + Number((m[3] ?? "").padEnd(3, "0"));
  return m[1] ? -value : value;
}

/** `1999` minor units of EUR → `"19.99 EUR"` (currencies with 2 decimals; JPY-style 0-decimal ones are not sold here). */
export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${currency}`;
}

function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new AppError("BAD_REQUEST", `${what} must be a whole number, got ${n}`, { field: what });
}

function toSafeNumber(n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new AppError("BAD_REQUEST", `${what} is too large`);
  return Number(n);
}
