// npm run bench:convergence — 2,000 Tenantos events over 100 dedicated servers on 10 lab switches
// while the worker runs: each event moves a server's primary IP (the lab panel changes first, as
// Tenantos does), then posts ip_assigned through the door's handler. Measures time until every
// event has its outcome and every port holds what the final panel says, and commits per switch.
import { mkdirSync, writeFileSync } from "node:fs";
import { inArray, sql } from "drizzle-orm";
import { portSecurityEvents } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { handlePortSecurityEvent } from "@/server/doors/port-security-event";
import { benchPrimaryIp, benchPxeMac, benchServerId, startBenchPanel } from "./panel-world";
import { startBenchWorld, waitFor } from "./support";

const EVENTS = 2_000;
const SERVERS = 100;
const SWITCHES = 10;
const COMMIT_LATENCY_MS = 200;
const IN_FLIGHT = 16;
const TOKEN = "bench-door-token-0123456789abcdef";

const world = await startBenchWorld({ switches: SWITCHES, ports: SERVERS / SWITCHES, commitLatencyMs: COMMIT_LATENCY_MS, isSeeded: false });
const { tenantos, panel } = await startBenchPanel(SERVERS, SWITCHES);
try {
  await world.startWorkers(SWITCHES + 4, panel);
  const db = world.database.db;
  const ids: number[] = [];
  const post = async (k: number) => {
    const server = k % SERVERS;
    const ip = benchPrimaryIp(server, Math.floor(k / SERVERS) + 1);
    tenantos.world.servers[server]!.ips = [{ ip, subnetId: 13, isPrimary: true }];
    const res = await handlePortSecurityEvent(
      new Request("http://door/", {
        method: "POST",
        body: JSON.stringify({ action: "ip_assigned", serverId: benchServerId(server), ip }),
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
      { db, token: TOKEN },
    );
    if (res.status !== 202) throw new Error(`door answered ${res.status}`);
    ids.push(((await res.json()) as { eventId: number }).eventId);
  };
  const t0 = performance.now();
  for (let k = 0; k < EVENTS; k += IN_FLIGHT) await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, EVENTS - k) }, (_, j) => post(k + j)));
  const postMs = performance.now() - t0;

  const final = (server: number) => benchPrimaryIp(server, Math.floor((EVENTS - 1 - ((EVENTS - 1 - server) % SERVERS)) / SERVERS) + 1);
  const isConverged = async () => {
    const [open] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(portSecurityEvents)
      .where(sql`${inArray(portSecurityEvents.id, ids)} and status in ('received', 'queued')`);
    if (open!.n > 0) return false;
    const labs = await world.labState();
    return Array.from({ length: SERVERS }, (_, i) => i).every((i) => {
      const ports = parseBindingsFromDisplaySet(labs[i % SWITCHES]!.displaySet, "non-els").ports;
      const held = ports.get(`ge-0/0/${Math.floor(i / SWITCHES)}.0`) ?? [];
      return held.length === 1 && held[0]!.ip === final(i) && held[0]!.mac === benchPxeMac(i);
    });
  };
  await waitFor("every port to hold the final panel's bindings", isConverged, 600_000);
  const convergeMs = performance.now() - t0;
  const labs = await world.labState();
  // Lower bound: posting the events, then one push (the slowest seen) after the last one.
  const [slowest] = await db.execute<{ ms: number }>(
    sql`select coalesce(max(extract(epoch from finished_at - started_at) * 1000), 0)::float as ms from switch_pushes where status = 'committed'`,
  );
  const lowerBoundMs = postMs + Number(slowest!.ms);
  const outcomes = await db
    .select({ status: portSecurityEvents.status, n: sql<number>`count(*)::int` })
    .from(portSecurityEvents)
    .groupBy(portSecurityEvents.status);
  const result = {
    events: EVENTS,
    servers: SERVERS,
    switches: SWITCHES,
    commit_latency_ms: COMMIT_LATENCY_MS,
    post_ms: Math.round(postMs),
    converge_ms: Math.round(convergeMs),
    lower_bound_ms: Math.round(lowerBoundMs),
    ratio_to_lower_bound: Number((convergeMs / lowerBoundMs).toFixed(2)),
    commits_per_switch_max: Math.max(...labs.map((l) => l.confirmedCommits)),
    commits_per_switch_min: Math.min(...labs.map((l) => l.confirmedCommits)),
    sessions_per_switch_max_concurrent: Math.max(...labs.map((l) => l.maxConcurrentSessions)),
    configs_equal_desired: await isConverged(),
    outcomes: Object.fromEntries(outcomes.map((o) => [o.status, o.n])),
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/convergence.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await tenantos.close();
  await world.close();
}
