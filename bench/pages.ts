// npm run bench:pages — every /it page of the console as deployed (`npm run build` first), signed in
// as the bootstrap admin, against a bench world at a provider's size: 100k IPAM addresses, 10k
// Proxmox guests (one inventory snapshot and their address periods), 50 switches × 48 ports, 1M
// audit rows, 200k port-security events, 216k finished job runs. Each page is loaded LOADS times (after a warm-up), in
// rounds so that the shared machine's load falls on every page alike; its server time (request to
// the last byte of the HTML, loopback) p50/p95 and its bytes are printed beside a static file served
// by the same server in the same rounds (the lower bound). Goal (issue 28): p95 < 200 ms on every
// page, and no page's bytes growing with the table behind it. Own embedded Postgres; loopback only;
// stops by itself. Writes bench/results/pages.json.
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import postgres from "postgres";
import { signIn, startDeployedServer } from "./next-server";
import { startBenchDatabase } from "./database";

// BENCH_PAGES_SCALE=0.01 tries the bench quickly on a hundredth of the data; BENCH_PAGES_LOADS sets
// the loads per page (bench tooling reads the environment).
const SCALE = Number(process.env.BENCH_PAGES_SCALE ?? 1);
const LOADS = Number(process.env.BENCH_PAGES_LOADS ?? 20);
const WARM_UPS = 2;
const IPS = Math.round(100_000 * SCALE);
const GUESTS = Math.round(10_000 * SCALE);
const NODES = 20;
const SWITCHES = 50;
const PORTS = 48;
const AUDIT_ROWS = Math.round(1_000_000 * SCALE);
const EVENTS = Math.round(200_000 * SCALE);
const VMACS = Math.round(5_000 * SCALE);
const PROVISIONING_JOBS = Math.round(2_000 * SCALE);
const APPROVALS = Math.round(500 * SCALE);
const JOB_RUNS = Math.round(216_000 * SCALE);
const ADMIN = { email: "bench-admin@bench.sankofa.test", password: "bench-admin-password-0123" };
// A file in public/: what the same server answers when it renders nothing and asks nothing.
const STATIC_PATH = "/robots.txt";

const ipOf = (i: number) => `10.${Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)]!.toFixed(1));
};

/** Every page under app/(it)/it, with its dynamic segments filled from the bench world. */
function listPages(fill: Record<string, string>): string[] {
  const root = path.resolve("app/(it)/it");
  const found: string[] = [];
  const walk = (dir: string, route: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${route}/${name}`);
      else if (name === "page.tsx") found.push(route);
    }
  };
  walk(root, "/it");
  return found
    .filter((route) => route !== "/it/[area]") // only areas not built yet answer there; every area is built
    .map((route) =>
      route.replace(/\[(\w+)\]/g, (_, seg: string) => {
        const value = fill[`${route}:${seg}`];
        if (!value) throw new Error(`bench: no value for ${seg} in ${route}`);
        return value;
      }),
    )
    .concat(fill.extra ? fill.extra.split(" ") : [])
    .sort();
}

const pg = await startBenchDatabase("bench-pages", 56503);
const sql = postgres(pg.url, { max: 4, onnotice: () => {} });

try {
  const seedStart = performance.now();
  // Set-up straight in SQL (a bench's data, not a feature): generate_series, one statement a table.
  await sql`insert into switches (name, host, username, host_key_state, dialect, tenantos_device_id)
    select 'sw' || s, '127.0.0.1', 'bench', 'approved', 'non-els', 1000 + s from generate_series(1, ${SWITCHES}) s`;
  await sql`insert into panel_ports (switch_id, interface, server_id, kind)
    select s.id, 'ge-0/0/' || p || '.0', s.id * 100 + p, 'dedicated' from switches s cross join generate_series(0, ${PORTS - 1}) p`;
  await sql`insert into switch_port_bindings (switch_id, interface, bindings, updated_by)
    select s.id, 'ge-0/0/' || p || '.0',
      jsonb_build_array(jsonb_build_object('ip', '10.' || (s.id + 100) || '.0.' || (p + 1), 'mac', '02:00:' || lpad(to_hex(s.id), 2, '0') || ':00:' || lpad(to_hex(p), 2, '0') || ':01', 'vlan', 'VLAN.13')),
      'bench'
    from switches s cross join generate_series(0, ${PORTS - 1}) p`;
  await sql`insert into ipam_vlans (vid, name) select v, 'VLAN.' || v from generate_series(10, 19) v`;
  await sql`insert into ipam_prefixes (prefix, gateway, vlan_id, description)
    select ('10.' || b || '.0.0/16')::cidr, ('10.' || b || '.0.1')::inet, (select id from ipam_vlans where vid = 10 + b), 'bench /16 ' || b
    from generate_series(0, ${Math.max(0, Math.floor((IPS - 1) / 65536))}) b`;
  // IPAM rows go through the timeline's trigger, as the console's own writes do.
  await sql`insert into ipam_addresses (address, prefix_id, hostname, vmid, status, owner_team, source_ref)
    select ('10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256))::inet, p.id, 'host-' || i,
      case when i % 10 = 0 then 100000 + i end, case when i % 50 = 0 then 'released' else 'active' end, 'team-' || (i % 20), 'console'
    from generate_series(0, ${IPS - 1}) i
    join ipam_prefixes p on p.prefix = ('10.' || (i / 65536) || '.0.0/16')::cidr`;
  await sql`insert into ipam_address_events (address, at, actor, kind, detail)
    select address, created_at, 'bench', 'imported', jsonb_build_object('source', 'bench') from ipam_addresses`;
  // One good inventory collection with every guest (20 nodes), and the guests' address periods.
  await sql`insert into inventory_snapshots (trigger, status, started_at, collected_at, data)
    select 'schedule', 'ok', now() - interval '1 hour', now() - interval '1 hour', jsonb_build_object(
      'nodes', (select jsonb_agg(jsonb_build_object('node', 'node-' || n, 'status', 'online', 'cpus', 64, 'cpu_load', 0.25,
        'mem_total_bytes', 549755813888, 'mem_used_bytes', 274877906944, 'disk_total_bytes', 107374182400, 'disk_used_bytes', 10737418240,
        'storage', jsonb_build_array(jsonb_build_object('storage', 'local-zfs', 'type', 'zfspool', 'total_bytes', 8796093022208, 'used_bytes', 4398046511104, 'is_shared', false))))
        from generate_series(0, ${NODES - 1}) n),
      'guests', (select jsonb_agg(jsonb_build_object('vmid', 100000 + g, 'name', 'guest-' || g, 'node', 'node-' || (g % ${NODES}),
        'type', case when g % 3 = 0 then 'lxc' else 'qemu' end, 'status', 'running', 'cpus', 2, 'mem_bytes', 4294967296,
        'nics', jsonb_build_array(jsonb_build_object('index', 0, 'mac', '02:aa:' || lpad(to_hex((g >> 8) & 255), 2, '0') || ':' || lpad(to_hex(g & 255), 2, '0') || ':00:01', 'bridge', 'vmbr0', 'vlan_tag', 13, 'config_ips', jsonb_build_array('10.200.' || (g / 256) || '.' || (g % 256)))),
        'config_ips', jsonb_build_array('10.200.' || (g / 256) || '.' || (g % 256)), 'live_ips', jsonb_build_array('10.200.' || (g / 256) || '.' || (g % 256)),
        'disks', jsonb_build_array(jsonb_build_object('key', 'scsi0', 'storage', 'local-zfs', 'size_bytes', 34359738368))))
        from generate_series(0, ${GUESTS - 1}) g))`;
  await sql`insert into address_timeline (kind, address, valid_from, holder_key, vmid, hostname, node, evidence_type, evidence_id, last_seen_at)
    select 'guest', ('10.200.' || (g / 256) || '.' || (g % 256))::inet, now() - interval '100 days', (100000 + g)::text, 100000 + g, 'guest-' || g, 'node-' || (g % ${NODES}),
      'inventory_snapshot', '1', now() - interval '1 hour'
    from generate_series(0, ${GUESTS - 1}) g`;
  await sql`insert into audit_log (at, actor, action, entity_type, entity_id, before, after, ticket_id)
    select now() - make_interval(secs => (${AUDIT_ROWS} - i) * 30), 'user-' || (i % 25) || '@bench.test',
      (array['ipam.address.update', 'switch.push', 'port_bindings.set', 'vmac.create', 'settings.update'])[1 + i % 5],
      (array['ipam_address', 'switch', 'port', 'vmac', 'settings'])[1 + i % 5], (i % 100000)::text,
      jsonb_build_object('status', 'active'), jsonb_build_object('status', 'released', 'n', i), case when i % 7 = 0 then 'OPS-' || i end
    from generate_series(1, ${AUDIT_ROWS}) i`;
  // Without the timeline's per-row trigger (session_replication_role): fired 200k times it takes
  // tens of minutes on a loaded machine, and no page measured here reads Tenantos periods in bulk.
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`insert into port_security_events (received_at, action, server_id, ip, dedupe_key, status, skip_reason, switch_id, interface)
    select now() - make_interval(secs => (${EVENTS} - i) * 60),
      (array['ip_assigned', 'ip_removed', 'server_deleted', 'server_provisioned'])[1 + i % 4], 100 + i % 5000,
      '10.' || ((i % ${IPS}) / 65536) || '.' || (((i % ${IPS}) / 256) % 256) || '.' || (i % 256),
      'bench|' || i, (array['done', 'done', 'done', 'skipped', 'failed'])[1 + i % 5], case when i % 5 = 3 then 'no port' end,
      1 + i % ${SWITCHES}, 'ge-0/0/' || (i % ${PORTS}) || '.0'
    from generate_series(1, ${EVENTS}) i`;
  });
  await sql`insert into vmacs (ip, mac, server_id, created_at, released_at)
    select '10.150.' || (v / 256) || '.' || (v % 256), '02:bb:' || lpad(to_hex((v >> 8) & 255), 2, '0') || ':' || lpad(to_hex(v & 255), 2, '0') || ':00:01',
      100 + v % 5000, now() - make_interval(hours => v), case when v % 4 = 0 then now() end
    from generate_series(0, ${VMACS - 1}) v`;
  await sql`insert into vmac_events (at, kind, ip, mac, server_id, actor) select created_at, 'created', ip, mac, server_id, 'bench' from vmacs`;
  await sql`insert into provisioning_jobs (kind, payload, status, ticket_id, plan, node, vmid, requested_by, requested_at, finished_at)
    select 'power_reboot',
      jsonb_build_object('type', 'power', 'node', 'node-' || (j % ${NODES}), 'guestType', 'qemu', 'vmid', 100000 + j, 'action', 'reboot'),
      case when j % 10 = 0 then 'failed' else 'succeeded' end, 'OPS-' || j,
      jsonb_build_object('kind', 'power_reboot', 'node', 'node-' || (j % ${NODES}), 'guestType', 'qemu', 'vmid', 100000 + j, 'summary', 'Reboot VM ' || (100000 + j),
        'calls', jsonb_build_array(jsonb_build_object('method', 'POST', 'path', '/nodes/node-' || (j % ${NODES}) || '/qemu/' || (100000 + j) || '/status/reboot', 'params', '{}'::jsonb, 'isTask', true, 'expect', null)),
        'checks', '[]'::jsonb, 'refusal', null, 'approvalReasons', '[]'::jsonb, 'configDigest', null, 'address', null),
      'node-' || (j % ${NODES}), 100000 + j, 'bench', now() - make_interval(mins => j * 30), now() - make_interval(mins => j * 30 - 1)
    from generate_series(1, ${PROVISIONING_JOBS}) j`;
  await sql`insert into pending_changes (kind, payload, summary, requested_by, requested_at, status, decided_by, decided_at)
    select 'vmac_release', jsonb_build_object('ip', '10.150.0.' || (a % 256)), 'Release VMAC ' || a, 'user-' || (a % 25) || '@bench.test', now() - make_interval(hours => a),
      case when a % 10 = 0 then 'pending' else 'applied' end, case when a % 10 <> 0 then 'bench' end, case when a % 10 <> 0 then now() end
    from generate_series(1, ${APPROVALS}) a`;
  // Jobs' finished runs: 30 days of the per-minute crons (~5 a minute, the retention's default).
  await sql`insert into job_runs (job_id, task, attempt, max_attempts, outcome, started_at, finished_at, duration_ms, trigger_kind, error)
    select r, (array['port-security-retry', 'collect-usage', 'switch-backups', 'inventory-collect', 'vmac-sweep'])[1 + r % 5], 1, 5,
      case when r % 97 = 0 then 'failed' else 'succeeded' end, now() - make_interval(secs => r * 12) - interval '1 second',
      now() - make_interval(secs => r * 12), 1000, 'schedule', case when r % 97 = 0 then 'bench failure' end
    from generate_series(1, ${JOB_RUNS}) r`;
  await sql`analyze`;
  const seedMs = performance.now() - seedStart;

  const [sw] = await sql<{ id: number }[]>`select id from switches order by id limit 1`;
  const [job] = await sql<{ id: number }[]>`select id from provisioning_jobs order by id desc limit 1`;
  const someIp = ipOf(Math.floor(IPS / 2));
  const pages = listPages({
    "/it/switches/[id]:id": String(sw!.id),
    "/it/provisioning/[id]:id": String(job!.id),
    "/it/addresses/[address]:address": someIp,
    // The why page with a question asked (it renders nothing without one); IPAM's address tab.
    extra: `/it/why?ip=${someIp} /it/ipam?tab=addresses`,
  });

  const server = await startDeployedServer({
    databaseUrl: pg.url,
    secretsKey: randomBytes(32),
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, NEXTAUTH_SECRET: randomBytes(32).toString("hex") },
  });
  try {
    const cookie = await signIn(server.url, ADMIN);
    const load = async (p: string) => {
      const start = performance.now();
      const res = await fetch(`${server.url}${p}`, { headers: { cookie }, redirect: "manual" });
      const bytes = (await res.arrayBuffer()).byteLength;
      const ms = performance.now() - start;
      if (res.status !== 200) throw new Error(`bench: ${p} answered ${res.status}`);
      return { ms, bytes };
    };
    const all = [STATIC_PATH, ...pages];
    for (let w = 0; w < WARM_UPS; w++) for (const p of all) await load(p);
    console.error(`seeded in ${Math.round(seedMs / 1000)} s; warmed up; ${LOADS} rounds of ${all.length} loads`);
    const times = new Map<string, number[]>(all.map((p) => [p, []]));
    const sizes = new Map<string, number>();
    // Rounds: each page once a round, so a burst of load elsewhere on the machine hits all pages alike.
    for (let r = 0; r < LOADS; r++) {
      const roundStart = performance.now();
      for (const p of all) {
        const { ms, bytes } = await load(p);
        times.get(p)!.push(ms);
        sizes.set(p, Math.max(sizes.get(p) ?? 0, bytes));
      }
      console.error(`round ${r + 1}/${LOADS}: ${Math.round(performance.now() - roundStart)} ms`);
    }

    const staticP95 = quantile(times.get(STATIC_PATH)!, 0.95);
    const rows = pages.map((p) => ({ path: p, p50_ms: quantile(times.get(p)!, 0.5), p95_ms: quantile(times.get(p)!, 0.95), bytes: sizes.get(p)! }));
    const [load1, load5] = (await import("node:os")).loadavg();
    const result = {
      pages: rows,
      static_p95_ms: staticP95,
      static_p50_ms: quantile(times.get(STATIC_PATH)!, 0.5),
      static_path: STATIC_PATH,
      loads_each: LOADS,
      world: { ipam_addresses: IPS, guests: GUESTS, switch_ports: SWITCHES * PORTS, audit_rows: AUDIT_ROWS, port_security_events: EVENTS, job_runs: JOB_RUNS },
      seed_s: Math.round(seedMs / 1000),
      load_average: [Number(load1!.toFixed(2)), Number(load5!.toFixed(2))],
    };
    console.info(`${"page".padEnd(36)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"×static".padStart(8)} ${"bytes".padStart(10)}`);
    for (const r of rows)
      console.info(
        `${r.path.padEnd(36)} ${String(r.p50_ms).padStart(8)} ${String(r.p95_ms).padStart(8)} ${(r.p95_ms / staticP95).toFixed(1).padStart(8)} ${String(r.bytes).padStart(10)}${r.p95_ms >= 200 ? "  over 200 ms" : ""}`,
      );
    console.info(`${`${STATIC_PATH} (static, lower bound)`.padEnd(36)} ${String(result.static_p50_ms).padStart(8)} ${String(staticP95).padStart(8)}`);
    console.info(`load average (1, 5 min) at the end: ${result.load_average.join(", ")}`);
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/pages.json", `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.stop();
  }
} finally {
  await sql.end();
  await pg.stop();
}
