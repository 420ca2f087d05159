import { AppError } from "@/lib/errors";
import { SEARCH_MAX_LENGTH } from "@/lib/search/query";
import { formatTimelineCsv } from "@/lib/timeline/history";
import type { Db } from "@/server/db/client";
import { answerAppErrors, json, text } from "@/server/http/respond";
import { countDoorRejection } from "@/server/metrics";
import { getAddressHistory, type AddressHistory } from "@/server/services/addresses/history";
import { searchEverything } from "@/server/services/addresses/search";
import { checkApiKey } from "@/server/services/platform/api-keys";

const DOOR = "addresses-api";

type Deps = { db: Db };

async function refuseWithoutKey(req: Request, db: Db): Promise<Response | null> {
  const check = await checkApiKey(db, req.headers.get("authorization"), "inventory:read");
  if (check.ok) return null;
  countDoorRejection(DOOR, "auth");
  return json(check.status, { error: check.error }, check.status === 401 ? { "www-authenticate": 'Bearer realm="sankofa-it"' } : {});
}

/** An ISO 8601 time with its zone (`Z` or an offset): a time without one would be read in the server's zone. */
export function parseIsoTime(value: string | null, field: string): Date | undefined {
  if (value === null || value === "") return undefined;
  const isZoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const t = Date.parse(value);
  if (!isZoned || Number.isNaN(t))
    throw new AppError("BAD_REQUEST", `${field}: "${value.slice(0, 60)}" is not an ISO 8601 time with a zone (2026-11-02T14:05:00Z)`, { field });
  return new Date(t);
}

/** The history's question from a query string: `at=`, or `from=`/`to=`, or nothing (all of it). */
export function readHistoryQuery(params: URLSearchParams): { at?: Date; from?: Date; to?: Date } {
  return { at: parseIsoTime(params.get("at"), "at"), from: parseIsoTime(params.get("from"), "from"), to: parseIsoTime(params.get("to"), "to") };
}

/** `GET /api/v1/search?q=`: the top bar's search for scripts. */
export async function handleSearchApi(req: Request, { db }: Deps): Promise<Response> {
  const refusal = await refuseWithoutKey(req, db);
  if (refusal) return refusal;
  return answerAppErrors(async () => {
    const q = new URL(req.url).searchParams.get("q") ?? "";
    if (q.length > SEARCH_MAX_LENGTH) throw new AppError("BAD_REQUEST", `q: at most ${SEARCH_MAX_LENGTH} characters`, { field: "q" });
    const answer = await searchEverything(db, q);
    return json(200, {
      query: answer.query,
      redirect: answer.redirect,
      results: answer.results.map(({ kind, label, href, detail }) => ({ kind, label, href, detail })),
    });
  });
}

/** `GET /api/v1/addresses/{address}/history?at=` or `?from=&to=`. */
export async function handleAddressHistoryApi(req: Request, { db }: Deps, address: string): Promise<Response> {
  const refusal = await refuseWithoutKey(req, db);
  if (refusal) return refusal;
  return answerAppErrors(async () => json(200, await getAddressHistory(db, address, readHistoryQuery(new URL(req.url).searchParams))));
}

/** `GET /api/v1/addresses/{address}/export?from=&to=&format=csv|json`: the abuse reply. */
export async function handleAddressExportApi(req: Request, { db }: Deps, address: string): Promise<Response> {
  const refusal = await refuseWithoutKey(req, db);
  if (refusal) return refusal;
  return answerAppErrors(() => answerAddressExport(db, address, new URL(req.url).searchParams));
}

/**
 * The abuse reply for a window: the address's periods in it, with the record's gaps, as CSV (one row
 * per period) or JSON (the history's shape). The console's download and the API answer the same file.
 */
export async function answerAddressExport(db: Db, address: string, params: URLSearchParams): Promise<Response> {
  const format = params.get("format") ?? "csv";
  if (format !== "csv" && format !== "json") throw new AppError("BAD_REQUEST", 'format: "csv" or "json"', { field: "format" });
  const q = readHistoryQuery(params);
  if (q.at) throw new AppError("BAD_REQUEST", "an export covers a window: from= and to=", { field: "at" });
  const history = await getAddressHistory(db, address, q);
  const name = `sankofa-address-${history.address.replace(/[^0-9a-f.]/gi, "-")}`;
  if (format === "json") return json(200, history, { "content-disposition": `attachment; filename="${name}.json"` });
  return text(200, formatAbuseCsv(history), { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"` });
}

function formatAbuseCsv(history: AddressHistory): string {
  return formatTimelineCsv(history.timeline, history.coverage.gaps);
}
