import type { CsvCell } from "../csv/format-csv";
import { decimalCell } from "../csv/format-csv";
import { formatMilli } from "./money";

// Invoices in the import formats of the two accounting systems the spec names beside Stripe
// (issue 25, point 8): pure formatting of the rows of one query (`listAccountingLines`, shared
// with today's `billing-invoice-lines` CSV), so every file says the same amounts.
//
// QuickBooks Online — "Import invoices in batches" (Intuit):
//   https://quickbooks.intuit.com/learn-support/en-ca/help-articles/import-invoices-in-batches/01/338729
//   Intuit's staff answer quoting it lists the headers QuickBooks maps by itself and which are
//   mandatory (*): *Invoice number, *Customer, *Invoice date, *Due date, Terms, Service Date,
//   Item (Product/Service), Item Description, Item Quantity, Item Rate, *Item Amount, Memo
//   (https://quickbooks.intuit.com/learn-support/en-ca/sales-and-invoicing/do-we-need-to-map-field-everytime-when-import-invoices/01/394876).
//   We write the spellings of Intuit's sample file (InvoiceNo, InvoiceDate, Item(Product/Service),
//   ItemAmount, …); one row per line, the invoice's fields repeated on each. The importer asks
//   which date format the file uses; we write MM/DD/YYYY, its US default (our choice, stated in
//   docs/billing-csv.md). Amounts are decimals in the currency's major unit, no symbol.
// NetSuite — CSV Import Assistant, transactions (Oracle):
//   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N411794.html (Invoice Import)
//   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534420642.html — in a
//   single-file import of new transactions the External ID must be on every line: it is what
//   groups lines into one invoice.
//   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N405613.html (Transactions Import Type)
//   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N453326.html (General CSV File Conventions)
//   Field names are the invoice record's (Customer, Date, Due Date, Currency, Memo; item sublist
//   Item, Description, Quantity, Rate, Amount). NetSuite reads dates in the importing user's date
//   format preference; we write MM/DD/YYYY (NetSuite's default preference; a guess for any
//   account set otherwise, stated in docs/billing-csv.md).

/** One invoice line as the shared query reads it: issued or paid invoices only, lines we bill. */
export interface AccountingLine {
  invoiceId: number;
  orgCode: string;
  orgName: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  /** The UTC day it was issued (YYYY-MM-DD). */
  issuedOn: string;
  position: number;
  skuCode: string | null;
  description: string;
  quantityMilli: number;
  unitPriceMinor: number;
  amountMinor: number;
}

/** Payment terms written on the exports: net days after the issue day (our terms, not a system's rule). */
export const PAYMENT_TERMS_DAYS = 30;

/** The item name when a line has no SKU (none of an issued invoice's lines should lack one). */
const NO_SKU_ITEM = "Services";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-11-05` → `11/05/2026`. */
export function formatUsDate(day: string): string {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a day (YYYY-MM-DD): ${day}`);
  return `${m[2]}/${m[3]}/${m[1]}`;
}

/** A UTC day plus `n` days, as YYYY-MM-DD. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** `123456` minor units → `1234.56` (currencies of 2 decimals, as everywhere here). */
export function formatMinorDecimal(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** `12500` thousandths → `12.5`; `3000` → `3` (no trailing zeros: a quantity, not money). */
export function formatQuantity(quantityMilli: number): string {
  return formatMilli(quantityMilli).replace(/\.?0+$/, "");
}

const invoiceNumber = (l: AccountingLine) => String(l.invoiceId);
const memo = (l: AccountingLine) => `Sankofa invoice ${l.invoiceId}, ${l.periodStart} to ${l.periodEnd}`;

export const QUICKBOOKS_COLUMNS = [
  "InvoiceNo",
  "Customer",
  "InvoiceDate",
  "DueDate",
  "Terms",
  "Memo",
  "Item(Product/Service)",
  "ItemDescription",
  "ItemQuantity",
  "ItemRate",
  "ItemAmount",
  "Currency",
  "Service Date",
];

export function formatQuickBooksRow(l: AccountingLine): CsvCell[] {
  return [
    invoiceNumber(l),
    l.orgName,
    formatUsDate(l.issuedOn),
    formatUsDate(addDays(l.issuedOn, PAYMENT_TERMS_DAYS)),
    `Net ${PAYMENT_TERMS_DAYS}`,
    memo(l),
    l.skuCode ?? NO_SKU_ITEM,
    l.description,
    decimalCell(formatQuantity(l.quantityMilli)),
    decimalCell(formatMinorDecimal(l.unitPriceMinor)),
    decimalCell(formatMinorDecimal(l.amountMinor)),
    l.currency,
    // The last day of the period the line bills.
    formatUsDate(l.periodEnd),
  ];
}

export const NETSUITE_COLUMNS = ["External ID", "Customer", "Date", "Due Date", "Currency", "Memo", "Item", "Description", "Quantity", "Rate", "Amount"];

export function formatNetSuiteRow(l: AccountingLine): CsvCell[] {
  return [
    // Unique per invoice and stable: a re-import updates the same NetSuite invoice.
    `sankofa-invoice-${l.invoiceId}`,
    l.orgName,
    formatUsDate(l.issuedOn),
    formatUsDate(addDays(l.issuedOn, PAYMENT_TERMS_DAYS)),
    l.currency,
    memo(l),
    l.skuCode ?? NO_SKU_ITEM,
    l.description,
    decimalCell(formatQuantity(l.quantityMilli)),
    decimalCell(formatMinorDecimal(l.unitPriceMinor)),
    decimalCell(formatMinorDecimal(l.amountMinor)),
  ];
}

export const ACCOUNTING_FORMATS = {
  quickbooks: { columns: QUICKBOOKS_COLUMNS, formatRow: formatQuickBooksRow, amountColumn: "ItemAmount", invoiceColumn: "InvoiceNo" },
  netsuite: { columns: NETSUITE_COLUMNS, formatRow: formatNetSuiteRow, amountColumn: "Amount", invoiceColumn: "External ID" },
} as const;
export type AccountingFormat = keyof typeof ACCOUNTING_FORMATS;

/** A decimal amount read back (`"1234.56"` → 123456 minor units): for round-trip checks. */
export function parseMinorDecimal(text: string): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(text);
  if (!m) throw new Error(`not an amount with 2 decimals: ${text}`);
  const v = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -v : v;
}
