// npm run bench:metrics — a Prometheus scrape of `/api/metrics` at the bench world's size: 50
// switches × 48 managed ports (a year of nightly backups, pushes and drift reports each), 100,000
// IP addresses in IPAM and 100,000 Tenantos events bound, 100,000 audit rows. Through the server as
// deployed (`npm run build` first), with the bearer token Prometheus would use: the p50/p95 of 40
// scrapes, beside the lower bound measured in the same run — the same queries (the functions the
// route calls) run alone, straight on Postgres from this process. Own embedded Postgres; loopback
// only; stops by itself. Writes bench/results/metrics.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDatabase } from "@/server/db/client";
import {
  countProvisioningJobs,
  countPushes,
  getBackupIntervalSeconds,
  getPlatformFacts,
  listCollectorFacts,
  listSwitchFacts,
  measureBindingLatency,
} from "@/server/services/observability/queries";
import { checkHealth } from "@/server/services/platform/health";
import { countJobsByState } from "@/server/services/platform/jobs";
import { startBenchDatabase } from "./database";
import { startDeployedServer } from "./next-server";

const SWITCHES = 50;
const PORTS = 48;
const IPS = 100_000;
const EVENTS = 100_000;
const PUSHES_PER_SWITCH = 365;
const BACKUPS_PER_SWITCH = 365;
const AUDIT_ROWS = 100_000;
const SCRAPES = 40;
const TOKEN = randomBytes(24).toString("hex");

const pg = await startBenchDatabase("bench-metrics", 54394);
const { url } = pg;
const sql = postgres(url, { max: 2, onnotice: () => {} });
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const round = (n: number) => Number(n.toFixed(1));

try {
  // Set-up straight in SQL (a bench's data, not a feature).
  await sql`insert into switches (name, host, username, host_key_state, created_at)
    select 'bench-sw-' || s, '127.0.0.1', 'u', case when s % 25 = 0 then 'mismatch' else 'approved' end, now() - interval '400 days'
    from generate_series(1, ${SWITCHES}) s`;
  await sql`insert into switch_port_bindings (switch_id, interface, bindings, updated_by)
    select s.id, 'ge-0/0/' || p, jsonb_build_array(jsonb_build_object('ip', '10.' || (s.id % 200) || '.' || p || '.1', 'mac', '02:00:00:00:00:01', 'vlan', 'VLAN.13')), 'bench'
    from switches s cross join generate_series(0, ${PORTS - 1}) p`;
  await sql`insert into switch_backup_contents (sha256, sealed, size_bytes) select 'sha-' || s, '\\x00'::bytea, 1 from generate_series(1, ${SWITCHES}) s`;
  await sql`insert into switch_backups (switch_id, taken_at, reason, sha256, is_manual_change)
    select s.id, now() - make_interval(days => d), 'scheduled', 'sha-' || s.id, d % 97 = 0
    from switches s cross join generate_series(0, ${BACKUPS_PER_SWITCH - 1}) d`;
  await sql`insert into switch_pushes (change_id, switch_id, trigger, status, started_at, finished_at, ports, error_kind, skipped)
    select 'chg-' || s.id || '-' || d, s.id, 'bench',
      case when d = 0 and s.id % 10 = 0 then 'failed' when d % 3 = 0 then 'unchanged' else 'committed' end,
      now() - make_interval(days => d), now() - make_interval(days => d) + make_interval(secs => 2 + (d % 40)),
      array['ge-0/0/' || (d % ${PORTS})], case when d = 0 and s.id % 10 = 0 then 'commit' end,
      case when d = 0 and s.id % 7 = 0 then jsonb_build_array(jsonb_build_object('subject', 'ge-0/0/1: 10.9.9.9', 'reason', 'IP 10.9.9.9 is claimed by 101/net0 and 102/net0')) end
    from switches s cross join generate_series(0, ${PUSHES_PER_SWITCH - 1}) d`;
  await sql`insert into switch_drift_reports (switch_id, ports)
    select s.id, (select jsonb_agg(jsonb_build_object('interface', 'ge-0/0/' || p, 'isManaged', true,
        'missing', case when p < s.id % 3 then '[{"ip":"10.0.0.1"}]'::jsonb else '[]'::jsonb end, 'extra', '[]'::jsonb))
      from generate_series(0, ${PORTS - 1}) p)
    from switches s`;
  await sql`insert into ipam_addresses (address, hostname)
    select ('10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256))::inet, 'host-' || i from generate_series(1, ${IPS}) i`;
  // Events go through `done` as a push leaves them, so the trigger counts their latency.
  await sql`insert into port_security_events (received_at, action, server_id, ip, dedupe_key, status, switch_id, interface)
    select now() - make_interval(secs => i % 7200), 'ip_assigned', 5000 + i % 3000, '10.200.' || ((i / 256) % 256) || '.' || (i % 256),
      'ip_assigned|' || i, 'queued', 1 + i % ${SWITCHES}, 'ge-0/0/' || (i % ${PORTS})
    from generate_series(1, ${EVENTS}) i`;
  await sql`update port_security_events set status = 'done' where status = 'queued'`;
  await sql`insert into audit_log (at, actor, action, entity_type, entity_id)
    select now() - make_interval(secs => i), 'bench', case when i % 50 = 0 then 'auth.sign_in_failed' else 'switch.push' end, 'switch', (i % ${SWITCHES})::text
    from generate_series(1, ${AUDIT_ROWS}) i`;
  await sql`insert into pending_changes (kind, payload, summary, requested_by, requested_at)
    select 'port_bindings', '{}'::jsonb, 'bench change ' || i, 'bench', now() - make_interval(hours => i) from generate_series(1, 20) i`;
  await sql`insert into inventory_snapshots (trigger, status, started_at, collected_at)
    select 'schedule', case when i % 5 = 0 then 'failed' else 'ok' end, now() - make_interval(days => i), now() - make_interval(days => i) from generate_series(1, 30) i`;
  await sql`insert into edge_snapshots (source, trigger, status, started_at, collected_at)
    select src, 'schedule', 'ok', now() - make_interval(mins => 15 * i), now() - make_interval(mins => 15 * i)
    from unnest(array['unifi', 'npm', 'proxmox-network']) src cross join generate_series(1, 96) i`;
  await sql`analyze`;

  // The lower bound: the same queries, run alone from this process on a pool like the server's.
  const database = createDatabase(url, { max: 10 });
  const runQueriesAlone = async () => {
    const start = performance.now();
    await checkHealth(database.db);
    await Promise.all([
      countJobsByState(database.db),
      listSwitchFacts(database.db),
      countPushes(database.db),
      measureBindingLatency(database.db),
      listCollectorFacts(database.db),
      getPlatformFacts(database.db),
      countProvisioningJobs(database.db),
      getBackupIntervalSeconds(database.db),
    ]);
    return performance.now() - start;
  };
  await runQueriesAlone(); // warm
  const alone: number[] = [];
  for (let i = 0; i < SCRAPES; i++) alone.push(await runQueriesAlone());
  await database.close();
  console.log(`bench:metrics: the queries alone, p50 ${round(percentile(alone, 50))} ms, p95 ${round(percentile(alone, 95))} ms`);

  const server = await startDeployedServer({
    databaseUrl: url,
    secretsKey: randomBytes(32),
    env: { METRICS_BEARER_TOKEN: TOKEN, NEXTAUTH_SECRET: randomBytes(32).toString("hex") },
  });
  const scrapes: number[] = [];
  let bytes = 0;
  let series = 0;
  try {
    const scrape = async () => {
      const start = performance.now();
      const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`bench: /api/metrics answered ${res.status}`);
      bytes = text.length;
      series = text.split("\n").filter((l) => l && !l.startsWith("#")).length;
      return performance.now() - start;
    };
    await scrape(); // warm (first request compiles nothing in production, but opens the pool)
    for (let i = 0; i < SCRAPES; i++) scrapes.push(await scrape());
  } finally {
    await server.stop();
  }

  const result = {
    switches: SWITCHES,
    ports_per_switch: PORTS,
    ipam_addresses: IPS,
    events_bound: EVENTS,
    pushes: SWITCHES * PUSHES_PER_SWITCH,
    backups: SWITCHES * BACKUPS_PER_SWITCH,
    audit_rows: AUDIT_ROWS,
    scrapes: SCRAPES,
    series,
    body_bytes: bytes,
    scrape_p50_ms: round(percentile(scrapes, 50)),
    scrape_p95_ms: round(percentile(scrapes, 95)),
    queries_alone_ms: round(percentile(alone, 50)),
    queries_alone_p95_ms: round(percentile(alone, 95)),
    ratio_p95_to_queries_alone_p95: round(percentile(scrapes, 95) / percentile(alone, 95)),
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/metrics.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await sql.end();
  await pg.stop();
}
