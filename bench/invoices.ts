// npm run bench:invoices — drafting a month's invoices when bandwidth is billed: 300 servers ×
// 8,640 five-minute samples (2,592,000 rows, 30 days) in 30 orgs, through the real route
// (`billing.draftInvoices`, the console as deployed: `npm run build` first) signed in as the
// bootstrap admin: time and the web process's RSS (idle, peak), beside the lower bound measured in
// the same run — the per-server 95th percentile query alone, straight on Postgres. Own embedded
// Postgres; loopback only; stops by itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { findWebPid, readRss, signIn, startDeployedServer } from "./next-server";
import { startBenchDatabase } from "./database";

const SERVERS = 300;
const ORGS = 30;
const SLOTS = 8640; // 30 days of 5-minute slots
const PERIOD = { periodStart: "2026-06-01", periodEnd: "2026-06-30" };
const ADMIN = { email: "bench-admin@bench.sankofa.test", password: "bench-admin-password-0123" };

const pg = await startBenchDatabase("bench-invoices", 54392);
const { url } = pg;
const sql = postgres(url, { max: 2, onnotice: () => {} });
const mb = (n: number) => Number((n / 2 ** 20).toFixed(1));

try {
  // Set-up straight in SQL (a bench's data, not a feature): orgs, the bandwidth SKU, the bindings
  // and the samples, uneven enough that every server's 95th differs.
  await sql`insert into billing_orgs (code, name) select 'org-' || o, 'Org ' || o from generate_series(1, ${ORGS}) o`;
  await sql`insert into billing_skus (kind, code, name, external_sku_id, unit, unit_price_minor, currency, meter)
    values ('infra', 'bw-95', 'Bandwidth 95th', 'mkt-bw-95', 'Mbit/s', 500, 'EUR', 'bandwidth_p95_mbps')`;
  await sql`insert into billing_object_orgs (object, org_id)
    select 'server:' || s, (select id from billing_orgs where code = 'org-' || (1 + s % ${ORGS})) from generate_series(1, ${SERVERS}) s`;
  await sql`insert into billing_bandwidth_samples (server_id, at, in_bps, out_bps)
    select s, timestamptz '2026-06-01 00:00:00+00' + make_interval(secs => 300 * i),
      (s * 7919 + i * 104729) % 50000000, (s * 104729 + i * 7919) % 20000000
    from generate_series(1, ${SERVERS}) s cross join generate_series(0, ${SLOTS - 1}) i`;
  await sql`analyze billing_bandwidth_samples`;
  const rows = (await sql<{ n: number }[]>`select count(*)::int as n from billing_bandwidth_samples`)[0]!.n;

  // The floor: the per-server percentiles the draft needs, and nothing else.
  const floorStart = performance.now();
  await sql`select server_id,
      percentile_disc(0.95) within group (order by in_bps), percentile_disc(0.95) within group (order by out_bps),
      percentile_disc(0.95) within group (order by in_bps + out_bps)
    from billing_bandwidth_samples where at >= '2026-06-01' and at < '2026-07-01' group by server_id`;
  const floorMs = performance.now() - floorStart;

  const server = await startDeployedServer({
    databaseUrl: url,
    secretsKey: randomBytes(32),
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, NEXTAUTH_SECRET: randomBytes(32).toString("hex") },
  });
  try {
    const cookie = await signIn(server.url, ADMIN);
    const webPid = findWebPid(server.pid);
    const draft = async () => {
      const rssBefore = readRss(webPid);
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, readRss(webPid))), 20);
      const start = performance.now();
      const res = await fetch(`${server.url}/api/trpc/billing.draftInvoices`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", "x-sankofa-console": "1" },
        body: JSON.stringify({ json: PERIOD }),
      });
      const ms = performance.now() - start;
      clearInterval(sampler);
      const body = (await res.json()) as { result?: { data: { json: { drafted: unknown[] } } } };
      if (res.status !== 200 || body.result?.data.json.drafted.length !== ORGS) throw new Error(`bench: draft answered ${res.status}`);
      return { ms: Math.round(ms), web_rss_idle_mb: mb(rssBefore), web_rss_peak_mb: mb(Math.max(peakRss, readRss(webPid))) };
    };
    // The first draft writes 30 invoices; the second replaces their lines (what finance does on a re-draft).
    const first = await draft();
    const again = await draft();
    const result = {
      servers: SERVERS,
      orgs: ORGS,
      sample_rows: rows,
      floor_percentile_query_ms: Math.round(floorMs),
      first_draft: { ...first, ratio_to_floor: Number((first.ms / floorMs).toFixed(2)) },
      re_draft: { ...again, ratio_to_floor: Number((again.ms / floorMs).toFixed(2)) },
    };
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/invoices.json", `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await server.stop();
  }
} finally {
  await sql.end();
  await pg.stop();
}
