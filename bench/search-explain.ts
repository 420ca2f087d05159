// npm run bench:search-explain — where a search's and a history's time goes at bench:search's size:
// seeds the same world, then runs EXPLAIN (ANALYZE, BUFFERS) on every query each search form and the
// history issue, printing each one's execution time and, with BENCH_EXPLAIN_PLANS=1, its plan.
// Own embedded Postgres; loopback only; stops by itself.
import { sql as raw, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { parseSearchQuery } from "@/lib/search/query";
import { createDatabase } from "@/server/db/client";
import { listSearchQueries } from "@/server/services/addresses/search";
import { listHistoryQueries } from "@/server/services/addresses/history";
import { startBenchDatabase } from "./database";
import { listBenchHistories, listBenchSearches, seedSearchWorld } from "./search-world";

const isPrintingPlans = process.env.BENCH_EXPLAIN_PLANS === "1";
const pg = await startBenchDatabase("bench-search-explain", 54397);
const database = createDatabase(pg.url, { max: 2 });
const dialect = new PgDialect();
try {
  const rows = await seedSearchWorld(database.sql);
  console.info(`seeded: ${rows} timeline rows`);
  const explain = async (label: string, query: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    const plan = await database.sql.unsafe<Array<{ "QUERY PLAN": string }>>(`explain (analyze, buffers) ${text}`, params as never[]);
    const lines = plan.map((p) => p["QUERY PLAN"]);
    const ms = Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))?.[1] ?? NaN);
    console.info(`${ms.toFixed(2).padStart(8)} ms  ${label}`);
    if (isPrintingPlans) console.info(lines.map((l) => `            ${l}`).join("\n"));
  };
  // One search of each form (the bench cycles through seven), each of its queries.
  for (const text of listBenchSearches().slice(7, 14)) {
    console.info(`search "${text}"`);
    for (const [i, [kind, query]] of listSearchQueries(parseSearchQuery(text)).entries()) await explain(`#${i} ${kind}`, query);
  }
  for (const h of listBenchHistories().slice(0, 2)) {
    console.info(`history ${h.ip} at ${h.at}`);
    for (const [name, query] of listHistoryQueries({ kind: "ip", ip: h.ip }, { at: new Date(h.at) }, new Date())) await explain(name, query);
  }
  await database.db.execute(raw`select 1`);
} finally {
  await database.close();
  await pg.stop();
}
