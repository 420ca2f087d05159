// npm run bench:search — the top bar's search and an address's history at a moment, through the
// deployed server (`npm run build` first; GET /api/v1/search and /api/v1/addresses/{ip}/history
// with an inventory:read key), over 100k IPAM addresses, 10k guests, 50 switches × 48 ports and
// 2M timeline periods (bench/search-world.ts). Beside each: the lower bound measured in the same
// run — the SQL the endpoint runs (the key check, then the same service function: the same
// queries, side by side as the endpoint sends them) from this process straight on Postgres, no
// HTTP, no Next. Each request is timed both ways back to back (which goes first alternates), so a
// shared machine's load falls on both alike. p95 of sequential requests; goal p95 < 50 ms and
// ratio ≤ 3. Own embedded Postgres; loopback only; stops by itself.
import { loadavg } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createDatabase } from "@/server/db/client";
import { getAddressHistory } from "@/server/services/addresses/history";
import { searchEverything } from "@/server/services/addresses/search";
import { checkApiKey, createApiKey } from "@/server/services/platform/api-keys";
import { startBenchDatabase } from "./database";
import { startDeployedServer } from "./next-server";
import { GUESTS, IPS, PORTS, REQUESTS, SWITCHES, listBenchHistories, listBenchSearches, seedSearchWorld } from "./search-world";

const pg = await startBenchDatabase("bench-search", 54396);
// The server's pool size (server/db/client.ts's default), so side-by-side queries meet the same limit.
const database = createDatabase(pg.url);
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!.toFixed(2));
};
const time = async (run: () => Promise<unknown>) => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};

try {
  const seedStart = performance.now();
  const timelineRows = await seedSearchWorld(database.sql);
  const seedMs = performance.now() - seedStart;
  const searches = listBenchSearches();
  const histories = listBenchHistories();

  const { secret } = await createApiKey(database.db, { id: "bench" }, { name: "bench", scopes: ["inventory:read"] });
  const authorization = `Bearer ${secret}`;
  // The endpoint's SQL alone: the key check, then the service.
  const runSql = async (ask: () => Promise<unknown>) => {
    const check = await checkApiKey(database.db, authorization, "inventory:read");
    if (!check.ok) throw new Error(`bench: key refused: ${check.error}`);
    await ask();
  };
  const server = await startDeployedServer({ databaseUrl: pg.url, secretsKey: randomBytes(32), env: { NEXTAUTH_SECRET: randomBytes(32).toString("hex") } });
  try {
    let empty = 0;
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization } });
      const body = (await res.json()) as { results?: unknown[] };
      if (res.status !== 200) throw new Error(`bench: ${path} answered ${res.status}: ${JSON.stringify(body)}`);
      if (path.startsWith("/api/v1/search") && !body.results?.length) empty++;
    };
    /** One request both ways, back to back; the order alternates. */
    const pair = async (r: number, sqlRun: () => Promise<unknown>, httpPath: string) => {
      const viaSql = () => time(() => runSql(sqlRun));
      const viaHttp = () => time(() => get(httpPath));
      if (r % 2 === 0) return { sql: await viaSql(), http: await viaHttp() };
      const http = await viaHttp();
      return { sql: await viaSql(), http };
    };
    // Warm-up both ways (caches fill; Next compiles nothing in production).
    for (const q of searches.slice(0, 20)) await pair(0, () => searchEverything(database.db, q), `/api/v1/search?q=${encodeURIComponent(q)}`);
    empty = 0;
    const load = [loadavg()[0]!];
    const sqlSearch: number[] = [];
    const httpSearch: number[] = [];
    for (const [r, q] of searches.entries()) {
      const t = await pair(r, () => searchEverything(database.db, q), `/api/v1/search?q=${encodeURIComponent(q)}`);
      sqlSearch.push(t.sql);
      httpSearch.push(t.http);
    }
    if (empty) throw new Error(`bench: ${empty} searches found nothing`);
    load.push(loadavg()[0]!);
    const sqlHistory: number[] = [];
    const httpHistory: number[] = [];
    for (const [r, h] of histories.entries()) {
      const t = await pair(
        r,
        () => getAddressHistory(database.db, h.ip, { at: new Date(h.at) }),
        `/api/v1/addresses/${h.ip}/history?at=${encodeURIComponent(h.at)}`,
      );
      sqlHistory.push(t.sql);
      httpHistory.push(t.http);
    }
    load.push(loadavg()[0]!);

    const sqlAll = [...sqlSearch, ...sqlHistory];
    const result = {
      ipam_addresses: IPS,
      guests: GUESTS,
      switch_ports: SWITCHES * PORTS,
      timeline_rows: timelineRows,
      requests_each: REQUESTS,
      seed_s: Math.round(seedMs / 1000),
      search_p95_ms: p95(httpSearch),
      history_p95_ms: p95(httpHistory),
      sql_p95_ms: p95(sqlAll),
      search_sql_p95_ms: p95(sqlSearch),
      history_sql_p95_ms: p95(sqlHistory),
      search_ratio: Number((p95(httpSearch) / p95(sqlSearch)).toFixed(2)),
      history_ratio: Number((p95(httpHistory) / p95(sqlHistory)).toFixed(2)),
      // The 1-minute load average at the start, between the two series and at the end (2 cores here: above 2 is a queue).
      load_average_1m: load.map((l) => Number(l.toFixed(2))),
    };
    console.info(JSON.stringify(result, null, 2));
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/search.json", `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.stop();
  }
} finally {
  await database.close();
  await pg.stop();
}
