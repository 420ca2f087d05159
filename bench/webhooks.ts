// npm run bench:webhooks — sustained load (autocannon) on Tenantos's event door with the worker
// running: accepted events/s and p50/p99 latency, then every accepted event must reach a final
// outcome (done, skipped or failed). Measured twice: the door alone in its own process, and the
// console as deployed (`npm start`: Next's production server; `npm run build` first), each with the
// worker and the lab Tenantos beside it and the load in a third process. Each has its lower bound
// from the same run: the bare process answering 202 with no work; the deployed server refusing a
// wrong token on the same route. Loopback only; stops by itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { fork } from "node:child_process";
import { inArray, sql } from "drizzle-orm";
import { portSecurityEvents } from "@/drizzle/schema";
import { startBenchPanel } from "./panel-world";
import { startDeployedServer } from "./next-server";
import { startBenchWorld, waitFor } from "./support";

const SWITCHES = 5;
const SERVERS = 100;
const CONNECTIONS = 16;
const DURATION_S = 10;
const TOKEN = "bench-door-token-0123456789abcdef";

interface LoadResult {
  result: { "2xx": number; non2xx: number; answered: number; errors: number; latency: { p50: number; p99: number } };
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

function load(url: string, token = TOKEN): Promise<LoadResult> {
  const child = fork("bench/load-process.ts", [url, token, String(SERVERS), String(CONNECTIONS), String(DURATION_S)], { execArgv: ["--import", "tsx"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (m) => resolve(m as LoadResult));
  });
}

const world = await startBenchWorld({ switches: SWITCHES, ports: SERVERS / SWITCHES, commitLatencyMs: 50, isSeeded: false });
const { tenantos, panel } = await startBenchPanel(SERVERS, SWITCHES);
const db = world.database.db;

/** Waits for every accepted event to reach an outcome; counts the lost (accepted, never final). */
async function drain(idList: number[]) {
  const ids = [...new Set(idList)];
  const open = async () =>
    (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(portSecurityEvents)
        .where(sql`${inArray(portSecurityEvents.id, ids.length ? ids : [0])} and status in ('received','queued')`)
    )[0]!.n;
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
  return {
    distinct_event_ids: ids.length,
    lost: ids.length - final,
    drain_ms: Math.round(drainMs),
    outcomes: Object.fromEntries(outcomes.map((o) => [o.status, o.n])),
  };
}

function summarize(run: LoadResult["result"], floor: LoadResult["result"], drained: Awaited<ReturnType<typeof drain>>) {
  return {
    events_per_s: Math.round(run["2xx"] / DURATION_S),
    p50_ms: run.latency.p50,
    p99_ms: run.latency.p99,
    accepted: run["2xx"],
    non_2xx: run.non2xx,
    errors: run.errors,
    ...drained,
    lower_bound: { requests_per_s: Math.round(floor.answered / DURATION_S), p50_ms: floor.latency.p50, p99_ms: floor.latency.p99 },
    ratio_to_lower_bound: Number((floor.answered / Math.max(1, run["2xx"])).toFixed(2)),
  };
}

try {
  await world.startWorkers(SWITCHES + 4, panel);

  // 1. The door alone in its own process (node:http, no framework); lower bound: that process answering 202 with no work.
  const empty = await startDoor("empty");
  const { result: bareFloor } = await load(empty.url);
  await empty.stop();
  const door = await startDoor(world.url);
  const bareRun = await load(door.url);
  await door.stop();
  const bare = summarize(bareRun.result, bareFloor, await drain(bareRun.ids));

  // 2. As deployed: `npm start` (the launcher and Next's production server), worker beside it.
  //    Lower bound: the same server and route refusing a wrong token (401: no database, no work).
  const deployedServer = await startDeployedServer({
    databaseUrl: world.url,
    secretsKey: world.secretsKey,
    env: { PORT_SECURITY_EVENT_API_BEARER_TOKEN: TOKEN },
  });
  let deployed;
  try {
    const doorUrl = `${deployedServer.url}/api/port-security/event`;
    const { result: nextFloor } = await load(doorUrl, "wrong-token-0123456789abcdefghij");
    const nextRun = await load(doorUrl);
    deployed = summarize(nextRun.result, nextFloor, await drain(nextRun.ids));
  } finally {
    await deployedServer.stop();
  }

  const result = { deployed, bare_door: bare, connections: CONNECTIONS, duration_s: DURATION_S, servers: SERVERS, switches: SWITCHES };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/webhooks.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await tenantos.close();
  await world.close();
}
