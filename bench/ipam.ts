// npm run bench:ipam — 100k addresses over 500 prefixes, through the tRPC procedures the console
// calls (list + filter, utilization of every prefix, next free in a /16 with 60k used), each beside
// the bare SQL doing the same work in the same run. Own embedded Postgres; stops by itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { createDatabase } from "@/server/db/client";
import { buildAdmin, callerFor } from "@/server/testing/factories";
import { startBenchDatabase } from "./database";

const IPS = 100_000;
const PREFIXES = 500;
const BIG_USED = 60_000;
const RUNS = 1_000;

const pg = await startBenchDatabase("bench-ipam", 54389);
const { url } = pg;
const database = createDatabase(url, { max: 4 });
const { db, sql } = database;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

try {
  // One /16 (10.200.0.0/16) with 60k addresses from its start, and 499 /24s sharing the other 40k.
  await sql`insert into ipam_prefixes (prefix, description) values ('10.200.0.0/16', 'big')`;
  await sql`insert into ipam_prefixes (prefix, description) select ('10.' || (i / 256) || '.' || (i % 256) || '.0/24')::cidr, 'p' || i from generate_series(1, ${PREFIXES - 1}) i`;
  await sql`insert into ipam_addresses (address, prefix_id, hostname, status, source_ref)
    select '10.200.0.0'::inet + i, (select id from ipam_prefixes where prefix = '10.200.0.0/16'), 'big-' || i, 'active', 'bench'
    from generate_series(1, ${BIG_USED}) i`;
  const perSmall = Math.ceil((IPS - BIG_USED) / (PREFIXES - 1));
  await sql`insert into ipam_addresses (address, prefix_id, hostname, status, source_ref)
    select set_masklen(p.prefix::inet, 32) + n, p.id, 'host-' || p.id || '-' || n, case when n % 7 = 0 then 'planned' else 'active' end, 'bench'
    from ipam_prefixes p cross join generate_series(1, ${perSmall}) n
    where p.description <> 'big' and (select count(*) from ipam_addresses) < ${IPS}`;
  await sql`analyze`;
  const ips = (await sql<{ n: number }[]>`select count(*)::int as n from ipam_addresses`)[0]!.n;
  const api = callerFor(db, buildAdmin());
  const prefixIds = (await sql<{ id: number }[]>`select id from ipam_prefixes where description <> 'big' order by id`).map((r) => r.id);
  const big = (await sql<{ id: number }[]>`select id from ipam_prefixes where description = 'big'`)[0]!.id;

  // List + filter as the console asks: one prefix, a status, sorted by address, 100 a page.
  const list: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const prefixId = prefixIds[(i * 37) % prefixIds.length]!;
    list.push(await time(() => api.ipam.addresses({ prefixId, status: "active", sort: "address", limit: 100 })));
    bare.push(await time(() => sql`select * from ipam_addresses where status = 'active' and prefix_id = ${prefixId} order by address limit 101`));
  }
  // A search across everything (containment), through the procedure.
  const search: number[] = [];
  for (let i = 0; i < 50; i++) search.push(await time(() => api.ipam.addresses({ search: `10.${i % 2}.${i}.0/24`, sort: "address", limit: 100 })));

  const utilization: number[] = [];
  for (let i = 0; i < 10; i++) utilization.push(await time(() => api.ipam.prefixes()));
  const nextFree: number[] = [];
  for (let i = 0; i < 10; i++) nextFree.push(await time(() => api.ipam.claimNextFree({ prefixId: big, hostname: `claim-${i}` })));
  const nextFreeBare: number[] = [];
  for (let i = 0; i < 10; i++) {
    nextFreeBare.push(
      await time(
        () => sql`select host(x.address + 1) from (select address, lead(address) over (order by address) as next from ipam_addresses where prefix_id = ${big}) x
          where x.next is null or x.next - x.address > 1 order by x.address limit 1`,
      ),
    );
  }

  const result = {
    ips,
    subnets: PREFIXES,
    list_p95_ms: Number(p95(list).toFixed(2)),
    list_sql_p95_ms: Number(p95(bare).toFixed(2)),
    list_ratio_to_sql: Number((p95(list) / p95(bare)).toFixed(2)),
    list_p50_ms: Number(median(list).toFixed(2)),
    list_sql_p50_ms: Number(median(bare).toFixed(2)),
    search_p95_ms: Number(p95(search).toFixed(2)),
    utilization_ms: Number(median(utilization).toFixed(2)),
    next_free_ms: Number(median(nextFree).toFixed(2)),
    // The first claim has no hint yet and walks the prefix's index; later ones start at the hint.
    next_free_first_ms: Number(nextFree[0]!.toFixed(2)),
    next_free_sql_ms: Number(median(nextFreeBare).toFixed(2)),
    big_prefix_used: BIG_USED,
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/ipam.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await database.close();
  await pg.stop();
}
