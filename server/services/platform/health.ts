import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { getDatabaseDownSince, markDatabaseDown, markDatabaseUp } from "@/server/db/availability";
import { getWorkerStatus, type WorkerStatus } from "./workers";

export interface Health {
  ok: boolean;
  checkedAt: Date;
  /** `downSince`: when this process first saw it away in the current outage. */
  database: { ok: boolean; latencyMs: number | null; error?: string; downSince?: Date };
  worker: WorkerStatus & { error?: string };
}

const DB_TIMEOUT_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function checkHealth(db: Db): Promise<Health> {
  const checkedAt = new Date();
  const started = performance.now();
  let database: Health["database"];
  try {
    await withTimeout(db.execute(sql`select 1`), DB_TIMEOUT_MS, "database");
    database = { ok: true, latencyMs: Math.round(performance.now() - started) };
    markDatabaseUp();
  } catch (e) {
    markDatabaseDown(checkedAt);
    const downSince = getDatabaseDownSince() ?? checkedAt;
    database = {
      ok: false,
      latencyMs: null,
      error: `database down since ${downSince.toISOString()}: ${e instanceof Error ? e.message : String(e)}`,
      downSince,
    };
  }
  let worker: Health["worker"];
  if (!database.ok) {
    worker = { ok: false, lastBeatAt: null, ageMs: null, workers: 0, error: "unknown: database down" };
  } else {
    worker = await getWorkerStatus(db, checkedAt);
    if (!worker.ok)
      worker.error =
        worker.workers === 0 ? (worker.lastBeatAt ? "no worker process is running" : "no worker has ever reported") : "no heartbeat in the last 150 s";
  }
  return { ok: database.ok && worker.ok, checkedAt, database, worker };
}

/** What `/api/health` tells anyone who asks: up or down, never an error's text (it names hosts and users). */
export function toPublicHealth(h: Health) {
  return {
    ok: h.ok,
    checkedAt: h.checkedAt,
    database: { ok: h.database.ok, ...(h.database.downSince ? { downSince: h.database.downSince } : {}) },
    worker: { ok: h.worker.ok },
  };
}
