// npm run bench:apply-all — Apply All over 50 lab switches × 24 ports with a lab commit latency.
// Prints wall time against the lower bound measured in the same run (the slowest single switch's
// session), and how many sessions and commits each switch saw.
import { mkdirSync, writeFileSync } from "node:fs";
import { inArray } from "drizzle-orm";
import { switchPushes } from "@/drizzle/schema";
import { getLatestApplyAll, startApplyAll } from "@/server/services/switches/apply-all";
import { startBenchWorld, waitFor } from "./support";

const SWITCHES = 50;
const PORTS = 24;
const COMMIT_LATENCY_MS = 500;

const world = await startBenchWorld({ switches: SWITCHES, ports: PORTS, commitLatencyMs: COMMIT_LATENCY_MS });
try {
  await world.startWorkers(SWITCHES);
  // The set-up's first backups opened a session each: count only Apply All's.
  const setupSessions = new Map((await world.labState()).map((l) => [l.name, l.sessionsOpened]));
  const t0 = performance.now();
  const t0Wall = Date.now();
  await startApplyAll(world.database.db, { id: "bench" });
  await waitFor("Apply All to finish", async () => Boolean((await getLatestApplyAll(world.database.db))?.isFinished), 300_000);
  const wallMs = performance.now() - t0;

  const pushes = await world.database.db.select().from(switchPushes).where(inArray(switchPushes.switchId, world.switchIds));
  const sessionMs = pushes.filter((p) => p.finishedAt).map((p) => p.finishedAt!.getTime() - p.startedAt.getTime());
  const lowerBoundMs = Math.max(...sessionMs);
  const progress = await getLatestApplyAll(world.database.db);
  const labs = await world.labState();
  const result = {
    switches: SWITCHES,
    ports: PORTS,
    commit_latency_ms: COMMIT_LATENCY_MS,
    wall_ms: Math.round(wallMs),
    lower_bound_ms: Math.round(lowerBoundMs),
    ratio: Number((wallMs / lowerBoundMs).toFixed(3)),
    // One change = `commit confirmed` + its confirming `commit`; counted by the confirmed ones.
    commits_per_switch_max: Math.max(...labs.map((l) => l.confirmedCommits)),
    sessions_per_switch_max: Math.max(...labs.map((l) => l.sessionsOpened - (setupSessions.get(l.name) ?? 0))),
    failed_switches: progress?.failed ?? -1,
    // Where the rest of the wall time goes: how late the first and the last session started.
    first_session_start_ms: Math.min(...pushes.map((p) => p.startedAt.getTime() - t0Wall)),
    last_session_start_ms: Math.max(...pushes.map((p) => p.startedAt.getTime() - t0Wall)),
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/apply-all.json", `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await world.close();
}
