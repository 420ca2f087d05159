// npm run bench:search — the top bar's search and an address's history at a moment, through the
// deployed server (`npm run build` first; GET /api/v1/search and /api/v1/addresses/{ip}/history
// with an inventory:read key), over 100k IPAM addresses, 10k guests, 50 switches × 48 ports and
// 2M timeline periods. Beside each: the lower bound measured in the same run — the same service
// functions (the same SQL) called straight on Postgres from this process, no HTTP, no Next, no key
// check. p95 of sequential requests; goal p95 < 50 ms and ratio ≤ 3. Own embedded Postgres;
// loopback only; stops by itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createDatabase } from "@/server/db/client";
import { getAddressHistory } from "@/server/services/addresses/history";
import { searchEverything } from "@/server/services/addresses/search";
import { createApiKey } from "@/server/services/platform/api-keys";
import { startBenchDatabase } from "./database";
import { startDeployedServer } from "./next-server";

// BENCH_SEARCH_SCALE=0.01 tries the bench quickly on a hundredth of the data (bench tooling reads the environment).
const SCALE = Number(process.env.BENCH_SEARCH_SCALE ?? 1);
const IPS = Math.round(100_000 * SCALE);
const GUESTS = Math.round(10_000 * SCALE);
const SWITCHES = 50;
const PORTS = 48;
const PERIODS_PER_IP = 20; // 100k × 20 = 2M timeline rows, besides IPAM's and the guests'
const REQUESTS = 300;

const pg = await startBenchDatabase("bench-search", 54396);
const database = createDatabase(pg.url, { max: 12 });
const { sql } = database;
const ipOf = (i: number) => `10.${Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
const macOf = (i: number, k: number) => `02:${[k, (i >> 16) & 255, (i >> 8) & 255, i & 255].map((n) => n.toString(16).padStart(2, "0")).join(":")}:01`;
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!.toFixed(2));
};

try {
  const seedStart = performance.now();
  // Set-up straight in SQL (a bench's data, not a feature). IPAM rows go through the timeline's trigger.
  await sql`insert into switches (name, host, username) select 'sw' || s, '127.0.0.1', 'bench' from generate_series(1, ${SWITCHES}) s`;
  await sql`insert into panel_ports (switch_id, interface, server_id, kind)
    select s.id, 'ge-0/0/' || p || '.0', s.id * 100 + p, 'dedicated' from switches s cross join generate_series(0, ${PORTS - 1}) p`;
  await sql`insert into ipam_addresses (address, hostname, vmid, status, owner_team)
    select ('10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256))::inet, 'host-' || i, case when i % 10 = 0 then 100000 + i end, 'active', 'team-' || (i % 20)
    from generate_series(0, ${IPS - 1}) i`;
  // Twenty periods per address over 400 days: Tenantos assignments and switch bindings, the last two open.
  await sql`insert into address_timeline (kind, address, valid_from, valid_to, holder_key, tenantos_server_id, switch_id, switch_name, interface, mac, vlan, evidence_type, evidence_id)
    select case when k % 2 = 0 then 'tenantos_assignment' else 'switch_binding' end,
      ('10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256))::inet,
      now() - interval '400 days' + make_interval(hours => k * 400 + (i % 100)),
      case when k >= ${PERIODS_PER_IP - 2} then null else now() - interval '400 days' + make_interval(hours => k * 400 + 300 + (i % 100)) end,
      case when k % 2 = 0 then '' else (1 + i % ${SWITCHES}) || '|ge-0/0/' || (i % ${PORTS}) || '.0|' || k end,
      1000 + (i + k) % 5000,
      case when k % 2 = 1 then 1 + i % ${SWITCHES} end,
      case when k % 2 = 1 then 'sw' || (1 + i % ${SWITCHES}) end,
      case when k % 2 = 1 then 'ge-0/0/' || (i % ${PORTS}) || '.0' end,
      case when k % 2 = 1 then '02:' || lpad(to_hex(k), 2, '0') || ':' || lpad(to_hex((i >> 16) & 255), 2, '0') || ':' || lpad(to_hex((i >> 8) & 255), 2, '0') || ':' || lpad(to_hex(i & 255), 2, '0') || ':01' end,
      case when k % 2 = 1 then 'VLAN.13' end,
      case when k % 2 = 0 then 'port_security_event' else 'switch_push' end, (i * ${PERIODS_PER_IP} + k)::text
    from generate_series(0, ${IPS - 1}) i cross join generate_series(0, ${PERIODS_PER_IP - 1}) k`;
  await sql`insert into address_timeline (kind, address, valid_from, holder_key, vmid, hostname, node, evidence_type, evidence_id, last_seen_at)
    select 'guest', ('10.200.' || (g / 256) || '.' || (g % 256))::inet, now() - interval '100 days', (100000 + g)::text, 100000 + g, 'guest-' || g, 'node-' || (g % 10),
      'inventory_snapshot', '1', now() - interval '1 day'
    from generate_series(0, ${GUESTS - 1}) g`;
  await sql`insert into address_timeline_collections (source, snapshot_id, collected_at)
    select 'proxmox', w, now() - make_interval(days => 7 * w) from generate_series(1, 60) w`;
  await sql`analyze`;
  const timelineRows = (await sql<{ n: number }[]>`select count(*)::int as n from address_timeline`)[0]!.n;
  const seedMs = performance.now() - seedStart;

  // The questions: each search form and a history at a moment, spread over the data.
  const searches = Array.from({ length: REQUESTS }, (_, r) => {
    const i = (r * 7919) % IPS;
    switch (r % 6) {
      case 0:
        return ipOf(i);
      case 1:
        return macOf(i, 19).toUpperCase().replaceAll(":", "-");
      case 2:
        return macOf(i, 19).slice(0, 14);
      case 3:
        return `host-${i}`;
      case 4:
        return `sw${1 + (i % SWITCHES)} ge-0/0/${i % PORTS}`;
      default:
        return `guest-${i % GUESTS}`;
    }
  });
  const histories = Array.from({ length: REQUESTS }, (_, r) => ({
    ip: ipOf((r * 104729) % IPS),
    at: new Date(Date.now() - ((r * 37) % 400) * 86_400_000).toISOString(),
  }));

  // The lower bound: the same service functions (the same SQL) straight on Postgres.
  const time = async (run: () => Promise<unknown>) => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  for (const q of searches.slice(0, 20)) await searchEverything(database.db, q); // warm the cache as the server's run will be
  const sqlSearch: number[] = [];
  for (const q of searches) sqlSearch.push(await time(() => searchEverything(database.db, q)));
  const sqlHistory: number[] = [];
  for (const h of histories) sqlHistory.push(await time(() => getAddressHistory(database.db, h.ip, { at: new Date(h.at) })));

  const { secret } = await createApiKey(database.db, { id: "bench" }, { name: "bench", scopes: ["inventory:read"] });
  const server = await startDeployedServer({ databaseUrl: pg.url, secretsKey: randomBytes(32), env: { NEXTAUTH_SECRET: randomBytes(32).toString("hex") } });
  try {
    const get = async (path: string) => {
      const start = performance.now();
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
      const body = (await res.json()) as { results?: unknown[]; holders?: unknown[] };
      const ms = performance.now() - start;
      if (res.status !== 200) throw new Error(`bench: ${path} answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms, body };
    };
    for (const q of searches.slice(0, 20)) await get(`/api/v1/search?q=${encodeURIComponent(q)}`); // warm-up (Next compiles nothing in production, but caches do fill)
    const httpSearch: number[] = [];
    let empty = 0;
    for (const q of searches) {
      const { ms, body } = await get(`/api/v1/search?q=${encodeURIComponent(q)}`);
      httpSearch.push(ms);
      if (!body.results?.length) empty++;
    }
    if (empty) throw new Error(`bench: ${empty} searches found nothing`);
    const httpHistory: number[] = [];
    for (const h of histories) httpHistory.push((await get(`/api/v1/addresses/${h.ip}/history?at=${encodeURIComponent(h.at)}`)).ms);

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
