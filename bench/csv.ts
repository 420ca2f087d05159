// npm run bench:csv — 1,000,000 usage rows exported as CSV through the real route
// (`GET /api/billing/export/usage`, the console as deployed: `npm run build` first), signed in as
// the bootstrap admin: time, rows/s and the RSS the server process adds while it streams, beside
// `COPY … TO STDOUT` of the same rows in the same run. Issue 25's targets, with default settings:
// adds < 64 MB, takes ≤ 3× COPY. Own embedded Postgres; loopback only; stops by itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { findWebPid, readRss, signIn, startDeployedServer } from "./next-server";
import { startBenchDatabase } from "./database";

const OBJECTS = 10_000;
const DAYS = 100; // OBJECTS × DAYS = 1,000,000 rows
const FROM = "2026-01-01";
const TO = new Date(Date.parse(`${FROM}T00:00:00Z`) + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
const ADMIN = { email: "bench-admin@bench.sankofa.test", password: "bench-admin-password-0123" };

const pg = await startBenchDatabase("bench-csv", 54391);
const { url } = pg;
const sql = postgres(url, { max: 2, onnotice: () => {} });

try {
  await sql`insert into billing_usage_samples (source, object, meter, period, node, quantity_milli, collected_at)
    select 'proxmox', 'vmid:' || o, 'cpu_hours', ${FROM}::date + d, 'pve-' || (o % 16), (o * 7 + d) % 96000, now()
    from generate_series(1, ${OBJECTS}) o cross join generate_series(0, ${DAYS - 1}) d`;
  await sql`analyze billing_usage_samples`;
  const rows = (await sql<{ n: number }[]>`select count(*)::int as n from billing_usage_samples`)[0]!.n;

  // The bare floor: the same rows as CSV straight out of Postgres.
  let copyBytes = 0;
  const copyStart = performance.now();
  // COPY takes no bind parameters: the bench's own constant dates are written into the statement.
  const copy = await sql
    .unsafe(
      `copy (select s.period, s.source, s.object, s.meter, s.node, s.quantity_milli, s.collected_at
      from billing_usage_samples s where s.period between '${FROM}'::date and '${TO}'::date order by s.period, s.id) to stdout with (format csv, header)`,
    )
    .readable();
  for await (const chunk of copy) copyBytes += (chunk as Buffer).length;
  const copyMs = performance.now() - copyStart;

  /**
   * One export through the deployed server: time, bytes and the web process's RSS before and at its
   * peak. `heapMb` caps V8's old space (NODE_OPTIONS): with a cap, a stream that really is bounded
   * finishes within it, and the RSS it adds is what the export holds rather than garbage V8 has not
   * yet collected.
   */
  async function exportOnce(heapMb?: number) {
    const server = await startDeployedServer({
      databaseUrl: url,
      secretsKey: randomBytes(32),
      env: {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
        ...(heapMb ? { NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : {}),
      },
    });
    try {
      const cookie = await signIn(server.url, ADMIN);
      const webPid = findWebPid(server.pid);
      const rssBefore = readRss(webPid);
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, readRss(webPid))), 50);
      const start = performance.now();
      const res = await fetch(`${server.url}/api/billing/export/usage?from=${FROM}&to=${TO}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`bench: export answered ${res.status}`);
      let bytes = 0;
      let lines = 0;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        for (const b of value) if (b === 10) lines++;
      }
      const routeMs = performance.now() - start;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, readRss(webPid));
      const exported = lines - 1; // the header
      // Rows with a newline inside a cell would count twice; usage rows have none, so this is exact here.
      if (exported !== rows) throw new Error(`bench: exported ${exported} rows, stored ${rows}`);
      const mb = (n: number) => Number((n / 2 ** 20).toFixed(1));
      return {
        route_ms: Math.round(routeMs),
        route_rows_per_s: Math.round(rows / (routeMs / 1000)),
        route_bytes: bytes,
        web_rss_idle_mb: mb(rssBefore),
        web_rss_peak_mb: mb(peakRss),
        web_rss_added_mb: mb(peakRss - rssBefore),
        route_to_copy_time_ratio: Number((routeMs / copyMs).toFixed(2)),
      };
    } finally {
      await server.stop();
    }
  }

  const result = {
    rows,
    copy_ms: Math.round(copyMs),
    copy_rows_per_s: Math.round(rows / (copyMs / 1000)),
    copy_bytes: copyBytes,
    added_rss_target_mb: 64,
    copy_time_ratio_target: 3,
    default_heap: await exportOnce(),
    // 256 MB: the web process itself no longer starts under 160 MB (more code since the cap was chosen).
    heap_capped_256mb: await exportOnce(256),
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/csv.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await sql.end();
  await pg.stop();
}
