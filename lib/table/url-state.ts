// A list's view as URL search params: sort column and direction, page, page size, the text filter
// and per-column filters. Pure, so the page (server), the table (client), the tRPC input and the
// CSV export all read one link the same way and a copied link opens the same view.
//
// Reserved params: `sort`, `dir`, `page`, `size`, `q`. Every other param a table reads is one of
// its declared filters (its own name, e.g. `status`, `actor`, `from`); unknown params are left
// alone, so a page may keep its own (`tab`, `history`) beside the table's.
//
// A page with several tables gives each but one a `paramPrefix` (e.g. `pushes`): that table's params
// are then `pushes.sort`, `pushes.page`, `pushes.q`, `pushes.status`…, so each table keeps its own
// view in the one URL. Without a prefix the names are the plain ones above (old links keep working).

import { z } from "zod";

export type SortDir = "asc" | "desc";

export const DEFAULT_PAGE_SIZES = [25, 50, 100, 200] as const;
/** Deep OFFSET pages are slow and nobody reads page 40,000; past it, filter instead. */
export const MAX_PAGE = 10_000;
export const MAX_SEARCH = 200;

type Filters = Record<string, z.ZodType>;

export interface TableSpec<S extends string = string, F extends Filters = Filters> {
  /** Columns a header may sort by: the whitelist the server maps to SQL. */
  sortable: readonly [S, ...S[]];
  defaultSort: NoInfer<S>;
  defaultDir: SortDir;
  /** One zod schema per filter param, for the value as it comes from the URL (a string). */
  filters: F;
  pageSizes?: readonly number[];
  defaultPageSize?: number;
  /** Set on every table of a page but (at most) one, so their params do not collide. */
  paramPrefix?: string;
}

export type FilterValues<F extends Filters> = { [K in keyof F]?: z.output<F[K]> };

export interface TableState<S extends string = string, F extends Filters = Filters> {
  sort: S;
  dir: SortDir;
  page: number;
  pageSize: number;
  q: string;
  filters: FilterValues<F>;
}

/** A search params bag as Next gives it to pages, or a URLSearchParams. */
export type ParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

/** A table's URL param for one of its names: `sort` or, with prefix `pushes`, `pushes.sort`. */
export const paramName = (prefix: string | undefined, name: string): string => (prefix ? `${prefix}.${name}` : name);

export function defineTableSpec<S extends string, F extends Filters>(spec: TableSpec<S, F>): TableSpec<S, F> {
  if (spec.paramPrefix !== undefined && !/^[a-z][a-z0-9-]*$/.test(spec.paramPrefix)) throw new Error(`paramPrefix ${spec.paramPrefix} is not a lowercase word`);
  if (!spec.sortable.includes(spec.defaultSort)) throw new Error(`defaultSort ${spec.defaultSort} is not sortable`);
  for (const key of Object.keys(spec.filters)) if (RESERVED.has(key)) throw new Error(`filter name ${key} is reserved`);
  return spec;
}

const RESERVED = new Set(["sort", "dir", "page", "size", "q"]);

export const pageSizesOf = (spec: TableSpec): readonly number[] => spec.pageSizes ?? DEFAULT_PAGE_SIZES;
export const defaultPageSizeOf = (spec: TableSpec): number => spec.defaultPageSize ?? 50;

/**
 * A time bound from a link. A `datetime-local` field sends `2026-12-06T14:05` with no zone; the
 * console shows and takes UTC, so a value without a zone is read as UTC (not as the server's zone).
 */
export const utcDateParam = z.preprocess(
  (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v) ? `${v}Z` : v),
  z.coerce.date(),
);

function readParam(params: ParamsInput, key: string): string | undefined {
  const v = params instanceof URLSearchParams ? (params.get(key) ?? undefined) : params[key];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined || one.trim() === "" ? undefined : one.trim();
}

/**
 * Reads a table's view from a link. Lenient, because links are typed, edited and outlive releases:
 * an unknown sort, a bad page or size falls back to the default; a filter value its schema refuses
 * is dropped and named in `errors` so the page can say so.
 */
export function parseTableState<S extends string, F extends Filters>(
  spec: TableSpec<S, F>,
  params: ParamsInput,
): { state: TableState<S, F>; errors: string[] } {
  const errors: string[] = [];
  const name = (n: string) => paramName(spec.paramPrefix, n);
  const sortRaw = readParam(params, name("sort"));
  const sort = spec.sortable.find((s) => s === sortRaw) ?? spec.defaultSort;
  const dirRaw = readParam(params, name("dir"));
  const dir: SortDir = dirRaw === "asc" || dirRaw === "desc" ? dirRaw : sortRaw && sort === sortRaw ? "asc" : spec.defaultDir;
  const pageRaw = Number(readParam(params, name("page")));
  const page = Number.isInteger(pageRaw) && pageRaw >= 1 ? Math.min(pageRaw, MAX_PAGE) : 1;
  const sizeRaw = Number(readParam(params, name("size")));
  const pageSize = pageSizesOf(spec).includes(sizeRaw) ? sizeRaw : defaultPageSizeOf(spec);
  const q = (readParam(params, name("q")) ?? "").slice(0, MAX_SEARCH);
  const filters: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(spec.filters)) {
    const raw = readParam(params, name(key));
    if (raw === undefined) continue;
    const parsed = schema.safeParse(raw);
    if (parsed.success) filters[key] = parsed.data;
    else errors.push(`${key}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  return { state: { sort, dir, page, pageSize, q, filters: filters as FilterValues<F> }, errors };
}

function formatValue(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}

/** The params of a view, defaults left out so links stay short (and equal views have equal links). */
export function serializeTableState<S extends string, F extends Filters>(spec: TableSpec<S, F>, state: TableState<S, F>): URLSearchParams {
  const p = new URLSearchParams();
  const name = (n: string) => paramName(spec.paramPrefix, n);
  if (state.sort !== spec.defaultSort || state.dir !== spec.defaultDir) {
    p.set(name("sort"), state.sort);
    p.set(name("dir"), state.dir);
  }
  if (state.page > 1) p.set(name("page"), String(state.page));
  if (state.pageSize !== defaultPageSizeOf(spec)) p.set(name("size"), String(state.pageSize));
  if (state.q) p.set(name("q"), state.q);
  for (const key of Object.keys(spec.filters)) {
    const v = state.filters[key];
    if (v !== undefined && v !== null && v !== "") p.set(name(key), formatValue(v));
  }
  return p;
}

/**
 * `current` with `patch` applied (undefined or "" removes a param). Any change but the page's own
 * goes back to page 1: a new sort or filter starts at its beginning. `patch` names params as they
 * stand in the URL; `prefix` names the table whose page goes back to 1 (another table's page stays).
 */
export function patchParams(current: URLSearchParams | string, patch: Record<string, string | undefined>, prefix?: string): URLSearchParams {
  const p = new URLSearchParams(current);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === "") p.delete(k);
    else p.set(k, v);
  }
  const page = paramName(prefix, "page");
  if (!(page in patch)) p.delete(page);
  if (p.get(page) === "1") p.delete(page);
  return p;
}

/** The params a header click leads to: the same column flips its direction, another starts ascending. */
export function nextSortParams(current: URLSearchParams | string, column: string, state: { sort: string; dir: SortDir }, prefix?: string): URLSearchParams {
  const dir: SortDir = state.sort === column && state.dir === "asc" ? "desc" : "asc";
  return patchParams(current, { [paramName(prefix, "sort")]: column, [paramName(prefix, "dir")]: dir }, prefix);
}

/** The params of the filtered view without paging: what an "Export CSV" link carries. */
export function exportParams(current: URLSearchParams | string, prefix?: string): URLSearchParams {
  const p = new URLSearchParams(current);
  p.delete(paramName(prefix, "page"));
  p.delete(paramName(prefix, "size"));
  return p;
}

/** "1–50 of 12,345", "0 of 0". */
export function describeRange(page: number, pageSize: number, total: number, isTotalCapped = false): string {
  const n = new Intl.NumberFormat("en-US");
  const of = `${n.format(total)}${isTotalCapped ? "+" : ""}`;
  if (total === 0) return "0 of 0";
  const first = (page - 1) * pageSize + 1;
  // A link to a page the filters no longer reach (rows were removed since it was copied), or past the count's cap.
  if (first > total) return `none of ${of} on this page`;
  const last = Math.min(page * pageSize, total);
  return `${n.format(first)}–${n.format(last)} of ${of}`;
}

export const pageCountOf = (total: number, pageSize: number): number => Math.max(1, Math.ceil(total / pageSize));

/**
 * The zod schema of a table's state as a tRPC input: the same whitelist and bounds as the link
 * parser, so an API caller cannot sort by a column the page cannot.
 */
export function tableInputSchema<S extends string, F extends Filters>(spec: TableSpec<S, F>) {
  const filterShape = Object.fromEntries(Object.entries(spec.filters).map(([k, s]) => [k, s.optional()]));
  const sizes = pageSizesOf(spec);
  return z.object({
    sort: z.enum(spec.sortable as unknown as [S, ...S[]]).default(spec.defaultSort as never),
    dir: z.enum(["asc", "desc"]).default(spec.defaultDir),
    page: z.number().int().min(1).max(MAX_PAGE).default(1),
    pageSize: z
      .number()
      .int()
      .refine((n) => sizes.includes(n), `page size is one of ${sizes.join(", ")}`)
      .default(defaultPageSizeOf(spec)),
    q: z.string().trim().max(MAX_SEARCH).default(""),
    // Typed by hand: Object.fromEntries loses the shape's keys.
    filters: (z.object(filterShape) as unknown as z.ZodType<FilterValues<F>, FilterValues<F>>).default({} as FilterValues<F>),
  });
}
