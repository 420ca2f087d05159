// npm run bench:webhooks — sustained load (autocannon) on Tenantos's event door with the worker
// running: accepted events/s and p50/p99 latency, then every accepted event must reach a final
// outcome (done, skipped or failed). Three processes, as in production: the door (Next's role),
// the worker with the lab Tenantos, and the load. The lower bound is the same door process
// answering 202 with no work, measured in the same run. Loopback only; stops by itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { fork } from "node:child_process";
import { inArray, sql } from "drizzle-orm";
import { portSecurityEvents } from "@/drizzle/schema";
import { startBenchPanel } from "./panel-world";
import { startBenchWorld, waitFor } from "./support";

const SWITCHES = 5;
const SERVERS = 100;
const CONNECTIONS = 16;
const DURATION_S = 10;
const TOKEN = "bench-door-token-0123456789abcdef";

interface LoadResult {
  result: { "2xx": number; non2xx: number; errors: number; latency: { p50: number; p99: number } };
  ids: number[];
}

/** Starts the door (or the empty lower bound) in its own process; resolves with its URL and a stop. */
function startDoor(dbUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = fork("bench/door-process.ts", [dbUrl, TOKEN], { execArgv: ["--import", "tsx"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (m: { url: string }) =>
      resolve({
        url: m.url,
        stop: () =>
          new Promise<void>((r) => {
            child.once("exit", () => r());
            child.send({ type: "stop" });
          }),
      }),
    );
  });
}

function load(url: string): Promise<LoadResult> {
  const child = fork("bench/load-process.ts", [url, TOKEN, String(SERVERS), String(CONNECTIONS), String(DURATION_S)], { execArgv: ["--import", "tsx"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (m) => resolve(m as LoadResult));
  });
}

const world = await startBenchWorld({ switches: SWITCHES, ports: SERVERS / SWITCHES, commitLatencyMs: 50, isSeeded: false });
const { tenantos, panel } = await startBenchPanel(SERVERS, SWITCHES);
try {
  await world.startWorkers(SWITCHES + 4, panel);
  const empty = await startDoor("empty");
  const { result: floor } = await load(empty.url);
  await empty.stop();

  const door = await startDoor(world.url);
  const { result: run, ids: idList } = await load(door.url);
  await door.stop();
  const accepted = run["2xx"];

  const db = world.database.db;
  const ids = [...new Set(idList)];
  const open = async () =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(portSecurityEvents).where(sql`${inArray(portSecurityEvents.id, ids.length ? ids : [0])} and status in ('received','queued')`))[0]!.n;
  const drainStart = performance.now();
  await waitFor("every accepted event to reach an outcome", async () => (await open()) === 0, 180_000);
  const drainMs = performance.now() - drainStart;
  const outcomes = await db
    .select({ status: portSecurityEvents.status, n: sql<number>`count(*)::int` })
    .from(portSecurityEvents)
    .where(inArray(portSecurityEvents.id, ids.length ? ids : [0]))
    .groupBy(portSecurityEvents.status);
  // Every 202 named an event id; lost = ids not stored with a final outcome.
  const final = outcomes.filter((o) => ["done", "skipped", "failed"].includes(o.status)).reduce((a, o) => a + o.n, 0);
  const result = {
    events_per_s: Math.round(accepted / DURATION_S),
    p50_ms: run.latency.p50,
    p99_ms: run.latency.p99,
    accepted,
    distinct_event_ids: ids.length,
    lost: ids.length - final,
    non_2xx: run.non2xx,
    errors: run.errors,
    drain_ms: Math.round(drainMs),
    outcomes: Object.fromEntries(outcomes.map((o) => [o.status, o.n])),
    lower_bound: { requests_per_s: Math.round(floor["2xx"] / DURATION_S), p50_ms: floor.latency.p50, p99_ms: floor.latency.p99 },
    ratio_to_lower_bound: Number((floor["2xx"] / Math.max(1, accepted)).toFixed(2)),
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    servers: SERVERS,
    switches: SWITCHES,
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/webhooks.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await tenantos.close();
  await world.close();
}
