import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { Db } from "@/server/db/client";
import { checkHealth } from "@/server/services/platform/health";
import { countJobsByState } from "@/server/services/platform/jobs";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "sankofa_" });
  return {
    registry,
    up: new Gauge({
      name: "sankofa_up",
      help: "1 when the component is healthy (database reachable, worker heartbeat fresh)",
      labelNames: ["component"],
      registers: [registry],
    }),
    heartbeatAge: new Gauge({
      name: "sankofa_worker_heartbeat_age_seconds",
      help: "Seconds since a worker last ran the heartbeat job (-1 if never)",
      registers: [registry],
    }),
    jobs: new Gauge({ name: "sankofa_jobs", help: "Jobs in the graphile-worker queue by state", labelNames: ["state"], registers: [registry] }),
    doorRejections: new Counter({
      name: "sankofa_door_rejections_total",
      help: "Requests a machine door refused, by door and reason (auth, body, size, unavailable)",
      labelNames: ["door", "reason"],
      registers: [registry],
    }),
  };
}

// One registry per process, kept across dev reloads so metrics are not registered twice.
const globalForMetrics = globalThis as unknown as { sankofaMetrics?: ReturnType<typeof createMetrics> };

/** Refreshes the gauges from one health check and one job count, then renders the registry. */
function getMetrics() {
  globalForMetrics.sankofaMetrics ??= createMetrics();
  return globalForMetrics.sankofaMetrics;
}

/** Refused requests are counted, never stored: a flood of bad tokens must not fill the database. */
export function countDoorRejection(door: string, reason: "auth" | "body" | "size" | "unavailable"): void {
  getMetrics().doorRejections.inc({ door, reason });
}

export async function renderMetrics(db: Db): Promise<{ body: string; contentType: string }> {
  const m = getMetrics();
  const health = await checkHealth(db);
  m.up.set({ component: "database" }, health.database.ok ? 1 : 0);
  m.up.set({ component: "worker" }, health.worker.ok ? 1 : 0);
  m.heartbeatAge.set(health.worker.ageMs === null ? -1 : health.worker.ageMs / 1000);
  if (health.database.ok) {
    for (const [state, n] of Object.entries(await countJobsByState(db))) m.jobs.set({ state }, n);
  }
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}
