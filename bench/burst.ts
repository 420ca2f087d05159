// npm run bench:burst — 2,000 dirty-port marks over 10 lab switches while the worker runs:
// how many commits each switch needs, how long until every switch holds the desired bindings.
import { mkdirSync, writeFileSync } from "node:fs";
import { count, inArray } from "drizzle-orm";
import { switchDirtyPorts } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { areBindingsEqual } from "@/lib/junos/bindings";
import { requestReconcile } from "@/server/services/switches/switches";
import { bindingFor, startBenchWorld, waitFor } from "./support";

const EVENTS = 2_000;
const SWITCHES = 10;
const PORTS = 24;
const COMMIT_LATENCY_MS = 500;
const IN_FLIGHT = 16;

const world = await startBenchWorld({ switches: SWITCHES, ports: PORTS, commitLatencyMs: COMMIT_LATENCY_MS });
try {
  await world.startWorkers(SWITCHES);
  const db = world.database.db;
  // The desired state is already in place (support.ts); the burst is 2,000 marks as events make
  // them, deterministically spread: event i → switch i % 10, port (i / 10) % 24.
  const t0 = performance.now();
  for (let i = 0; i < EVENTS; i += IN_FLIGHT) {
    await Promise.all(
      Array.from({ length: Math.min(IN_FLIGHT, EVENTS - i) }, (_, k) => i + k).map((e) =>
        requestReconcile(db, world.switchIds[e % SWITCHES]!, [`ge-0/0/${Math.floor(e / SWITCHES) % PORTS}.0`], `bench:${e}`),
      ),
    );
  }
  const markMs = performance.now() - t0;
  await waitFor(
    "every dirty port to drain",
    async () => (await db.select({ n: count() }).from(switchDirtyPorts).where(inArray(switchDirtyPorts.switchId, world.switchIds)))[0]!.n === 0,
    300_000,
  );
  const wallMs = performance.now() - t0;

  const labs = await world.labState();
  const converged = labs.every((lab, s) => {
    const ports = parseBindingsFromDisplaySet(lab.displaySet, "non-els").ports;
    return Array.from({ length: PORTS }, (_, p) => p).every((p) => areBindingsEqual(ports.get(`ge-0/0/${p}.0`) ?? [], [bindingFor(s, p)]));
  });
  const result = {
    events: EVENTS,
    switches: SWITCHES,
    commit_latency_ms: COMMIT_LATENCY_MS,
    mark_ms: Math.round(markMs),
    wall_ms: Math.round(wallMs),
    commits_per_switch_max: Math.max(...labs.map((l) => l.confirmedCommits)),
    sessions_per_switch_max_concurrent: Math.max(...labs.map((l) => l.maxConcurrentSessions)),
    converged,
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/burst.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await world.close();
}
