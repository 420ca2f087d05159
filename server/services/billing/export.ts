import type postgres from "postgres";
import { csvStreamResponse } from "@/lib/csv/stream-csv";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db/client";
import { invoiceTableSpec } from "@/lib/billing/invoice-table";
import { parseTableState } from "@/lib/table/url-state";
import { streamAccountingCsv, streamInvoiceLinesCsv, streamInvoiceRowsCsv, streamInvoicesCsv, streamLedgerCsv, streamUsageCsvBytes } from "./csv";
import { iterateInvoiceView } from "./queries";
import { listLedger } from "./ledger";

const need = (q: URLSearchParams, name: string) => {
  const v = q.get(name);
  if (!v) throw new AppError("BAD_REQUEST", `${name} is missing`, { field: name });
  return v;
};

function checkPeriodStart(v: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new AppError("BAD_REQUEST", `periodStart: "${v}" is not a date (YYYY-MM-DD)`, { field: "periodStart" });
}

/** The download for `kind` as a streamed CSV response, or undefined for an unknown kind. */
export function handleBillingExport(sql: postgres.Sql, kind: string, q: URLSearchParams, db?: DbOrTx): Response | undefined {
  let name: string;
  let chunks: AsyncGenerator<string | Uint8Array>;
  if (kind === "usage") {
    const from = need(q, "from");
    const to = need(q, "to");
    name = `sankofa-usage-${from}-${to}.csv`;
    chunks = streamUsageCsvBytes(sql, { from, to });
  } else if (kind === "invoice") {
    const id = Number(need(q, "id"));
    if (!Number.isInteger(id) || id <= 0) throw new AppError("BAD_REQUEST", "id is not an invoice number", { field: "id" });
    name = `sankofa-invoice-${id}.csv`;
    chunks = streamInvoiceLinesCsv(sql, id);
  } else if (kind === "invoices" && db) {
    // The billing page's invoices table as it is filtered and sorted (its `invoices.` params), all pages.
    const periodStart = need(q, "periodStart");
    checkPeriodStart(periodStart);
    const { state } = parseTableState(invoiceTableSpec, q);
    name = `sankofa-invoices-${periodStart}.csv`;
    chunks = streamInvoiceRowsCsv(iterateInvoiceView(db, periodStart, state));
  } else if (kind === "invoices") {
    const periodStart = need(q, "periodStart");
    name = `sankofa-invoices-${periodStart}.csv`;
    chunks = streamInvoicesCsv(sql, periodStart);
  } else if (kind === "quickbooks" || kind === "netsuite") {
    const periodStart = need(q, "periodStart");
    name = `sankofa-${kind}-invoices-${periodStart}.csv`;
    chunks = streamAccountingCsv(sql, kind, periodStart);
  } else if (kind === "ledger" && db) {
    name = "sankofa-ledger.csv";
    chunks = streamLedgerCsv(() => listLedger(db));
  } else return undefined;
  return csvStreamResponse(name, chunks);
}
