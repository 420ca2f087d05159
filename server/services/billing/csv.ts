import type { CsvCell } from "@/lib/csv/format-csv";
import { streamCsv } from "@/lib/csv/stream-csv";
import { AppError } from "@/lib/errors";
import type postgres from "postgres";
import type { LedgerRow } from "./ledger";

// Finance's CSV exports (column sets versioned and documented in docs/billing-csv.md). Rows come
// from a server-side cursor in batches, so a million rows never sit in memory; times are UTC
// (ISO 8601 with Z, and the column names say _utc); money is integer minor units plus currency.
// They take postgres.js itself (not drizzle): its cursor() is what streams.

export const CSV_VERSIONS = {
  usage: "billing-usage/1",
  invoiceLines: "billing-invoice-lines/2",
  invoices: "billing-invoices/2",
  ledger: "billing-ledger/1",
} as const;

const BATCH = 1000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const utc = (d: Date | string | null) => (d === null ? "" : new Date(d).toISOString());

function checkDay(value: string, field: string) {
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new AppError("BAD_REQUEST", `${field}: "${value}" is not a date (YYYY-MM-DD)`, { field });
}

async function* batchesOf<T>(cursor: AsyncIterable<T[]>, toCells: (row: T) => CsvCell[]): AsyncGenerator<CsvCell[][]> {
  for await (const rows of cursor) yield rows.map(toCells);
}

export const USAGE_COLUMNS = ["schema_version", "day_utc", "source", "object", "meter", "org_code", "node", "quantity_milli", "collected_at_utc"];

/**
 * Every usage figure of the days `from`..`to` (inclusive), oldest first, as UTF-8 bytes. A million
 * rows must not pass through the web process as objects of nine fields (issue 25: 316 MB added,
 * 8.5× COPY): each line is formatted by Postgres (billing_csv_* functions, the rules of
 * `streamCsv`, checked against it in a test) and read from a server-side cursor in batches; the
 * next batch is fetched only once the client has taken the previous one (the route's stream is
 * pulled), so what the client has not read stays in Postgres.
 */
export function streamUsageCsvBytes(sql: postgres.Sql, f: { from: string; to: string }): AsyncGenerator<Uint8Array> {
  // Checked now, so a bad day is refused before the response starts.
  checkDay(f.from, "from");
  checkDay(f.to, "to");
  return readUsageLines(sql, f);
}

async function* readUsageLines(sql: postgres.Sql, f: { from: string; to: string }): AsyncGenerator<Uint8Array> {
  yield Buffer.from(stringifyHeader(USAGE_COLUMNS), "utf8");
  // raw(): each line arrives as the bytes Postgres sent (a view of the socket's buffer), never
  // decoded into a string and encoded back: one copy per batch, few objects per line.
  const cursor = sql<Array<[Buffer]>>`
    select ${CSV_VERSIONS.usage} || ',' || s.period::text || ',' || billing_csv_cell(s.source) || ',' || billing_csv_cell(s.object) || ','
      || billing_csv_cell(s.meter) || ',' || billing_csv_cell(o.code) || ',' || billing_csv_cell(s.node) || ','
      || s.quantity_milli::text || ',' || billing_csv_instant(s.collected_at) || chr(13) || chr(10) as line
    from billing_usage_samples s left join billing_orgs o on o.id = s.org_id
    where s.period between ${f.from}::date and ${f.to}::date
    order by s.period, s.id`
    .raw()
    .cursor(LINE_BATCH);
  for await (const rows of cursor) yield Buffer.concat(rows.map((r) => r[0]!));
}

/** Lines per cursor fetch: one chunk of about 0.5 MB to the client. */
const LINE_BATCH = 5000;

/** The same export as text (tests, small reads): chunks hold whole lines, so each decodes alone. */
export function streamUsageCsv(sql: postgres.Sql, f: { from: string; to: string }): AsyncGenerator<string> {
  const bytes = streamUsageCsvBytes(sql, f);
  return (async function* () {
    const decoder = new TextDecoder();
    for await (const chunk of bytes) yield decoder.decode(chunk);
  })();
}

function stringifyHeader(columns: readonly string[]): string {
  return `${columns.join(",")}\r\n`;
}

export const INVOICE_LINE_COLUMNS = [
  "schema_version",
  "invoice_id",
  "org_code",
  "period_start_utc",
  "period_end_utc",
  "invoice_status",
  "line",
  "sku_code",
  "external_sku_id",
  "description",
  "quantity_milli",
  "unit_price_minor",
  "amount_minor",
  "currency",
  "billed_by",
];

/** One invoice's lines. */
export function streamInvoiceLinesCsv(sql: postgres.Sql, invoiceId: number): AsyncGenerator<string> {
  type Row = {
    invoice_id: number;
    org_code: string;
    period_start: string;
    period_end: string;
    status: string;
    position: number;
    sku_code: string | null;
    external_sku_id: string | null;
    description: string;
    quantity_milli: string;
    unit_price_minor: string;
    amount_minor: string;
    currency: string;
    billed_by: string;
  };
  const cursor = sql<Row[]>`
    select i.id as invoice_id, o.code as org_code, i.period_start::text as period_start, i.period_end::text as period_end, i.status,
      l.position, k.code as sku_code, k.external_sku_id, l.description, l.quantity_milli::text as quantity_milli,
      l.unit_price_minor::text as unit_price_minor, l.amount_minor::text as amount_minor, i.currency, l.billed_by
    from billing_invoice_lines l join billing_invoices i on i.id = l.invoice_id join billing_orgs o on o.id = i.org_id
    left join billing_skus k on k.id = l.sku_id
    where i.id = ${invoiceId} order by l.position`.cursor(BATCH);
  return streamCsv(
    INVOICE_LINE_COLUMNS,
    batchesOf(cursor, (r) => [
      CSV_VERSIONS.invoiceLines,
      r.invoice_id,
      r.org_code,
      r.period_start,
      r.period_end,
      r.status,
      r.position,
      r.sku_code ?? "",
      r.external_sku_id ?? "",
      r.description,
      Number(r.quantity_milli),
      Number(r.unit_price_minor),
      Number(r.amount_minor),
      r.currency,
      r.billed_by,
    ]),
  );
}

export const INVOICE_COLUMNS = [
  "schema_version",
  "invoice_id",
  "org_code",
  "org_name",
  "period_start_utc",
  "period_end_utc",
  "status",
  "total_minor",
  "currency",
  "issued_at_utc",
  "paid_at_utc",
  "corrects_invoice_id",
  "credited_minor",
  "paid_minor",
  "refunded_minor",
  "stripe_credited_minor",
  "balance_minor",
];

/** Every invoice whose period starts on `periodStart` (void ones included: finance reconciles them too). */
export function streamInvoicesCsv(sql: postgres.Sql, periodStart: string): AsyncGenerator<string> {
  checkDay(periodStart, "periodStart");
  type Row = {
    id: number;
    org_code: string;
    org_name: string;
    period_start: string;
    period_end: string;
    status: string;
    total_minor: string;
    currency: string;
    issued_at: Date | null;
    paid_at: Date | null;
    corrects_invoice_id: number | null;
    credited_minor: string;
    paid_minor: string;
    refunded_minor: string;
    stripe_credited_minor: string;
  };
  const cursor = sql<Row[]>`
    select i.id, o.code as org_code, o.name as org_name, i.period_start::text as period_start, i.period_end::text as period_end, i.status,
      i.total_minor::text as total_minor, i.currency, i.issued_at, i.paid_at, i.corrects_invoice_id,
      i.credited_minor::text as credited_minor, i.paid_minor::text as paid_minor,
      (select coalesce(sum(p.amount_minor), 0)::text from billing_payments p where p.invoice_id = i.id and p.kind = 'refund') as refunded_minor,
      (select coalesce(sum(p.amount_minor), 0)::text from billing_payments p where p.invoice_id = i.id and p.kind = 'credit_note') as stripe_credited_minor
    from billing_invoices i join billing_orgs o on o.id = i.org_id
    where i.period_start = ${periodStart}::date order by o.code, i.id`.cursor(BATCH);
  return streamCsv(
    INVOICE_COLUMNS,
    batchesOf(cursor, (r) =>
      invoiceCsvCells({
        id: r.id,
        orgCode: r.org_code,
        orgName: r.org_name,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        status: r.status,
        totalMinor: Number(r.total_minor),
        currency: r.currency,
        issuedAt: r.issued_at,
        paidAt: r.paid_at,
        correctsInvoiceId: r.corrects_invoice_id,
        creditedMinor: Number(r.credited_minor),
        paidMinor: Number(r.paid_minor),
        refundedMinor: Number(r.refunded_minor),
        stripeCreditedMinor: Number(r.stripe_credited_minor),
      }),
    ),
  );
}

/** The figures of one invoices CSV line (the rows of the billing page's invoices table carry them). */
export interface InvoiceCsvRow {
  id: number;
  orgCode: string;
  orgName: string;
  periodStart: string;
  periodEnd: string;
  status: string;
  totalMinor: number;
  currency: string;
  issuedAt: Date | null;
  paidAt: Date | null;
  correctsInvoiceId: number | null;
  creditedMinor: number;
  paidMinor: number;
  refundedMinor: number;
  stripeCreditedMinor: number;
}

function invoiceCsvCells(r: InvoiceCsvRow): CsvCell[] {
  return [
    CSV_VERSIONS.invoices,
    r.id,
    r.orgCode,
    r.orgName,
    r.periodStart,
    r.periodEnd,
    r.status,
    r.totalMinor,
    r.currency,
    utc(r.issuedAt),
    utc(r.paidAt),
    r.correctsInvoiceId ?? "",
    r.creditedMinor,
    r.paidMinor,
    r.refundedMinor,
    r.stripeCreditedMinor,
    // A credit note's balance is carried by the invoice it corrects; a draft or void owes nothing.
    r.correctsInvoiceId === null && (r.status === "issued" || r.status === "paid") ? r.totalMinor - r.creditedMinor - r.paidMinor : 0,
  ];
}

/**
 * The billing page's invoices table as CSV: its rows (same source and WHERE, see
 * iterateInvoiceView), every page, in the table's order; the same columns as streamInvoicesCsv.
 */
export function streamInvoiceRowsCsv(batches: AsyncGenerator<InvoiceCsvRow[]>): AsyncGenerator<string> {
  return streamCsv(INVOICE_COLUMNS, batchesOf(batches, invoiceCsvCells));
}

export const LEDGER_COLUMNS = [
  "schema_version",
  "org_code",
  "org_name",
  "currency",
  "invoices",
  "issued_minor",
  "credited_minor",
  "paid_minor",
  "balance_minor",
];

/** The ledger per organisation and currency: the rows of `listLedger`, the page's figures (a few per org: no cursor needed). */
export function streamLedgerCsv(rows: () => Promise<LedgerRow[]>): AsyncGenerator<string> {
  async function* batches(): AsyncGenerator<CsvCell[][]> {
    yield (await rows()).map((r) => [
      CSV_VERSIONS.ledger,
      r.orgCode,
      r.orgName,
      r.currency,
      r.invoices,
      r.issuedMinor,
      r.creditedMinor,
      r.paidMinor,
      r.balanceMinor,
    ]);
  }
  return streamCsv(LEDGER_COLUMNS, batches());
}
