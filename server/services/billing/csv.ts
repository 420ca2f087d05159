import type { CsvCell } from "@/lib/csv/format-csv";
import { streamCsv } from "@/lib/csv/stream-csv";
import { AppError } from "@/lib/errors";
import type { Readable } from "node:stream";
import type postgres from "postgres";
import { ACCOUNTING_FORMATS, type AccountingFormat, type AccountingLine } from "@/lib/billing/accounting-export";
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
 * Every usage figure of the days `from`..`to` (inclusive), oldest first, as UTF-8 bytes. Postgres
 * formats each line (billing_csv_* functions: the rules of `streamCsv`, tested equal to it) and
 * sends them with `COPY … TO STDOUT (FORMAT binary)`: the web process only strips COPY's framing
 * and passes bytes on in chunks of about 64 KB, building no row objects and no strings.
 *
 * Backpressure end to end: this generator reads the COPY stream only when the client's stream is
 * pulled; an unread COPY stream stops postgres.js reading its socket (it pauses it), and Postgres
 * then waits on its full socket. What the client has not read stays in Postgres (issue 25: the
 * cursor version added 137 MB and took 3.7× COPY; a test watches pg_stat_progress_copy stand still
 * while a client does not read).
 */
export function streamUsageCsvBytes(sql: postgres.Sql, f: { from: string; to: string }): AsyncGenerator<Uint8Array> {
  // Checked now, so a bad day is refused before the response starts; checked strictly, because
  // COPY takes no bind parameters and the two days are written into the statement.
  checkDay(f.from, "from");
  checkDay(f.to, "to");
  return readUsageLines(sql, f);
}

/** COPY's binary file header: signature (11 bytes), flags (4), header extension length (4). */
const COPY_SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Bytes per chunk handed to the client. */
const CHUNK = 64 * 1024;

async function* readUsageLines(sql: postgres.Sql, f: { from: string; to: string }): AsyncGenerator<Uint8Array> {
  yield Buffer.from(stringifyHeader(USAGE_COLUMNS), "utf8");
  // A connection of its own for the COPY: postgres.js pipelines other queries onto a pooled
  // connection it deems busy, and one in a COPY refuses them (COPY_IN_PROGRESS).
  const reserved = await sql.reserve();
  let stream: Readable | undefined;
  let isDone = false;
  try {
    stream = await reserved
      .unsafe(
        `copy (
      select '${CSV_VERSIONS.usage},' || s.period::text || ',' || billing_csv_cell(s.source) || ',' || billing_csv_cell(s.object) || ','
        || billing_csv_cell(s.meter) || ',' || billing_csv_cell(o.code) || ',' || billing_csv_cell(s.node) || ','
        || s.quantity_milli::text || ',' || billing_csv_instant(s.collected_at) || chr(13) || chr(10)
      from billing_usage_samples s left join billing_orgs o on o.id = s.org_id
      where s.period between '${f.from}'::date and '${f.to}'::date
      order by s.period, s.id) to stdout with (format binary)`,
      )
      .readable();
    // Not destroyed on an early return: postgres.js would then pause its socket for good.
    const chunks = stream.iterator({ destroyOnReturn: false });
    const parser = new CopyBinaryLines();
    for await (const chunk of chunks as AsyncIterable<Buffer>) {
      for (const out of parser.push(chunk)) yield out;
    }
    const last = parser.end();
    isDone = true;
    if (last) yield last;
  } finally {
    if (isDone || !stream || stream.destroyed || stream.readableEnded) reserved.release();
    else {
      // The client went away mid-COPY: read out and drop the rest (memory stays flat: nothing is
      // kept), so the connection reaches ReadyForQuery before it goes back to the pool. No cancel
      // request: one that arrived after the COPY ended could hit the connection's next query.
      stream.on("error", () => {});
      stream.once("close", () => reserved.release());
      stream.resume();
    }
  }
}

/**
 * The rows of a one-column binary COPY, payloads concatenated into chunks of about CHUNK bytes.
 * Framing (PostgreSQL docs, "COPY — Binary Format"): the header, then per row an int16 field
 * count (1 here) and an int32 length followed by the bytes; an int16 -1 ends the data.
 */
export class CopyBinaryLines {
  private carry: Buffer = Buffer.alloc(0);
  private isHeaderRead = false;
  private isTrailerRead = false;
  private out = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  /** Whole chunks ready after `data`. */
  *push(data: Buffer): Generator<Buffer> {
    const buf = this.carry.length ? Buffer.concat([this.carry, data]) : data;
    let at = 0;
    if (!this.isHeaderRead) {
      if (buf.length < 19) {
        this.carry = Buffer.from(buf);
        return;
      }
      if (!buf.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error("COPY: not a binary COPY stream");
      const extension = buf.readUInt32BE(15);
      if (buf.length < 19 + extension) {
        this.carry = Buffer.from(buf);
        return;
      }
      at = 19 + extension;
      this.isHeaderRead = true;
    }
    while (!this.isTrailerRead && buf.length - at >= 2) {
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.isTrailerRead = true;
        at += 2;
        break;
      }
      if (fields !== 1) throw new Error(`COPY: ${fields} fields in a row, expected 1`);
      if (buf.length - at < 6) break;
      const length = buf.readInt32BE(at + 2);
      if (length < 0) throw new Error("COPY: a null line");
      if (buf.length - at < 6 + length) break;
      const line = buf.subarray(at + 6, at + 6 + length);
      at += 6 + length;
      if (this.used + length > this.out.length) {
        if (this.used) yield this.take();
        if (length > this.out.length) {
          yield Buffer.from(line);
          continue;
        }
      }
      line.copy(this.out, this.used);
      this.used += length;
    }
    // Keep an incomplete row for the next chunk (a copy: `data` may be a view of a reused buffer).
    this.carry = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
  }

  /** What is left at the end of the stream. */
  end(): Buffer | undefined {
    if (!this.isTrailerRead || this.carry.length) throw new Error("COPY: the stream ended inside a row");
    return this.used ? this.take() : undefined;
  }

  private take(): Buffer {
    const full = this.out.subarray(0, this.used);
    this.out = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    return full;
  }
}

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
  return streamCsv(
    INVOICE_LINE_COLUMNS,
    batchesOf(readInvoiceLines(sql, { invoiceId }), (r) => [
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

type InvoiceLineRow = {
  invoice_id: number;
  org_code: string;
  org_name: string;
  period_start: string;
  period_end: string;
  status: string;
  issued_on: string | null;
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

/**
 * Invoice lines: the one query behind `billing-invoice-lines` (one invoice, every line) and the
 * accounting imports (a period's issued and paid invoices, the lines we bill), so they cannot
 * disagree on an amount. Credit notes are left out of the imports: QuickBooks and NetSuite take
 * them as credit memos, another import.
 */
function readInvoiceLines(sql: postgres.Sql, f: { invoiceId: number } | { periodStart: string }) {
  const where =
    "invoiceId" in f
      ? sql`i.id = ${f.invoiceId}`
      : sql`i.period_start = ${f.periodStart}::date and i.status in ('issued', 'paid') and i.corrects_invoice_id is null and l.billed_by = 'us'`;
  return sql<InvoiceLineRow[]>`
    select i.id as invoice_id, o.code as org_code, o.name as org_name, i.period_start::text as period_start, i.period_end::text as period_end, i.status,
      (i.issued_at at time zone 'UTC')::date::text as issued_on,
      l.position, k.code as sku_code, k.external_sku_id, l.description, l.quantity_milli::text as quantity_milli,
      l.unit_price_minor::text as unit_price_minor, l.amount_minor::text as amount_minor, i.currency, l.billed_by
    from billing_invoice_lines l join billing_invoices i on i.id = l.invoice_id join billing_orgs o on o.id = i.org_id
    left join billing_skus k on k.id = l.sku_id
    where ${where} order by i.id, l.position`.cursor(BATCH);
}

function toAccountingLine(r: InvoiceLineRow): AccountingLine {
  return {
    invoiceId: r.invoice_id,
    orgCode: r.org_code,
    orgName: r.org_name,
    currency: r.currency,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    issuedOn: r.issued_on!,
    position: r.position,
    skuCode: r.sku_code,
    description: r.description,
    quantityMilli: Number(r.quantity_milli),
    unitPriceMinor: Number(r.unit_price_minor),
    amountMinor: Number(r.amount_minor),
  };
}

/** A period's issued and paid invoices in QuickBooks Online's or NetSuite's invoice import format (lib/billing/accounting-export.ts). */
export function streamAccountingCsv(sql: postgres.Sql, format: AccountingFormat, periodStart: string): AsyncGenerator<string> {
  checkDay(periodStart, "periodStart");
  const { columns, formatRow } = ACCOUNTING_FORMATS[format];
  return streamCsv(
    columns,
    batchesOf(readInvoiceLines(sql, { periodStart }), (r) => formatRow(toAccountingLine(r))),
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
    batchesOf(cursor, (r) => [
      CSV_VERSIONS.invoices,
      r.id,
      r.org_code,
      r.org_name,
      r.period_start,
      r.period_end,
      r.status,
      Number(r.total_minor),
      r.currency,
      utc(r.issued_at),
      utc(r.paid_at),
      r.corrects_invoice_id ?? "",
      Number(r.credited_minor),
      Number(r.paid_minor),
      Number(r.refunded_minor),
      Number(r.stripe_credited_minor),
      // A credit note's balance is carried by the invoice it corrects; a draft or void owes nothing.
      r.corrects_invoice_id === null && (r.status === "issued" || r.status === "paid")
        ? Number(r.total_minor) - Number(r.credited_minor) - Number(r.paid_minor)
        : 0,
    ]),
  );
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
