import type postgres from "postgres";
import { toUtf8Stream } from "@/lib/csv/stream-csv";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db/client";
import { streamAccountingCsv, streamInvoiceLinesCsv, streamInvoicesCsv, streamLedgerCsv, streamUsageCsvBytes } from "./csv";
import { listLedger } from "./ledger";

const need = (q: URLSearchParams, name: string) => {
  const v = q.get(name);
  if (!v) throw new AppError("BAD_REQUEST", `${name} is missing`, { field: name });
  return v;
};

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
  return new Response(toUtf8Stream(chunks), {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
