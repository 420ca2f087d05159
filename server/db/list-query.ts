// The one way a console list reads a page: WHERE from the caller's conditions (drizzle SQL, values
// as parameters), ORDER BY only through a whitelist of column expressions plus a unique tiebreaker
// (so equal values never make a row appear on two pages or on none), LIMIT/OFFSET for the page, and
// COUNT(*) for the total, all in Postgres. Each domain's queries.ts declares a ListSource and calls
// `listPage` for its table and `iterateList` for the CSV of the same filtered view, so the table and
// its export cannot disagree about what "filtered" means.

import { and, sql, type SQL } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { SortDir } from "@/lib/table/url-state";
import type { DbOrTx } from "./client";

export interface ListSource<S extends string, Raw, Row> {
  /** The select list, e.g. sql`a.id, host(a.address) as address, …`. */
  select: SQL;
  /** The FROM clause with its joins, e.g. sql`ipam_addresses a left join ipam_prefixes p on …`. */
  from: SQL;
  /** The whitelist: the sort ids the URL may name, each with the SQL expression(s) it orders by. */
  sortColumns: Record<S, SQL | readonly SQL[]>;
  /** A unique key, appended to every ORDER BY in the sort's direction. */
  tiebreaker: SQL;
  /** Raw row (as db.execute returns it) to the row the caller wants. */
  mapRow: (raw: Raw) => Row;
}

export interface ListRequest<S extends string> {
  /** Conditions ANDed; undefined entries are skipped (an absent filter). */
  where: ReadonlyArray<SQL | undefined>;
  sort: S;
  dir: SortDir;
  page: number;
  pageSize: number;
}

export interface ListPage<Row> {
  rows: Row[];
  /** Rows matching the filters, all pages together, counted up to LIST_COUNT_CAP. */
  total: number;
  /** More rows match than LIST_COUNT_CAP: `total` is the cap, and the table says "10,000+". */
  isTotalCapped: boolean;
  page: number;
  pageSize: number;
}

/** ORDER BY for a whitelisted sort id; anything else is refused, never spliced into SQL. */
export function orderBySql<S extends string>(sortColumns: Record<S, SQL | readonly SQL[]>, tiebreaker: SQL, sort: S, dir: SortDir): SQL {
  if (!Object.hasOwn(sortColumns, sort)) throw new AppError("BAD_REQUEST", `cannot sort by ${String(sort)}`, { field: "sort" });
  const direction = dir === "desc" ? sql.raw("desc") : sql.raw("asc");
  // Postgres's own NULL placement (last ascending, first descending): it is what a btree index
  // yields read either way, so `at desc, id desc` stays an index scan on a million audit rows.
  const column = sortColumns[sort];
  const keys = [...(Array.isArray(column) ? column : [column]), tiebreaker] as SQL[];
  return sql.join(
    keys.map((k) => sql`${k} ${direction}`),
    sql`, `,
  );
}

export function whereSql(where: ReadonlyArray<SQL | undefined>): SQL {
  const conditions = where.filter((c): c is SQL => c !== undefined);
  return conditions.length ? sql`where ${and(...conditions)}` : sql``;
}

/**
 * How far a list counts. An exact count(*) reads every matching row: 160 ms for a million audit
 * rows even when the page itself is one index read (bench:pages), on every load. Past this many the
 * table says "10,000+" and pages up to here; every row stays reachable by sorting the other way or
 * filtering (the date range, the actor…), and the export is the whole filtered view, uncounted.
 */
export const LIST_COUNT_CAP = 10_000;

/** One page and the total (up to LIST_COUNT_CAP), read by two queries that share one WHERE. */
export async function listPage<S extends string, Raw extends Record<string, unknown>, Row>(
  db: DbOrTx,
  source: ListSource<S, Raw, Row>,
  req: ListRequest<S>,
): Promise<ListPage<Row>> {
  const where = whereSql(req.where);
  const order = orderBySql(source.sortColumns, source.tiebreaker, req.sort, req.dir);
  const offset = (req.page - 1) * req.pageSize;
  const [raw, counted] = await Promise.all([
    db.execute<Raw>(sql`select ${source.select} from ${source.from} ${where} order by ${order} limit ${req.pageSize} offset ${offset}`),
    db.execute<{ total: string | number }>(sql`select count(*) as total from (select 1 from ${source.from} ${where} limit ${LIST_COUNT_CAP + 1}) matching`),
  ]);
  const total = Number(counted[0]?.total ?? 0);
  return {
    rows: Array.from(raw as Iterable<Raw>, (r) => source.mapRow(r)),
    total: Math.min(total, LIST_COUNT_CAP),
    isTotalCapped: total > LIST_COUNT_CAP,
    page: req.page,
    pageSize: req.pageSize,
  };
}

/**
 * Every row of the filtered view in the view's order, `batchSize` rows at a time, for exports: memory
 * stays at one batch whatever the table's size. Pages by OFFSET over the same ORDER BY (with its
 * unique tiebreaker), each batch its own short query, so no transaction is held open while the
 * caller writes.
 */
export async function* iterateList<S extends string, Raw extends Record<string, unknown>, Row>(
  db: DbOrTx,
  source: ListSource<S, Raw, Row>,
  req: Omit<ListRequest<S>, "page" | "pageSize">,
  batchSize = 2_000,
): AsyncGenerator<Row[]> {
  const where = whereSql(req.where);
  const order = orderBySql(source.sortColumns, source.tiebreaker, req.sort, req.dir);
  for (let offset = 0; ; offset += batchSize) {
    const raw = await db.execute<Raw>(sql`select ${source.select} from ${source.from} ${where} order by ${order} limit ${batchSize} offset ${offset}`);
    if (raw.length) yield Array.from(raw as Iterable<Raw>, (r) => source.mapRow(r));
    if (raw.length < batchSize) return;
  }
}
