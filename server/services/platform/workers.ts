import { desc, inArray, lt, sql } from "drizzle-orm";
import { workerHeartbeats, workerProcesses } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/db/client";
import { textArray } from "@/server/db/text-array";

/** A worker is alive when a heartbeat job ran this recently (the cron fires every minute). */
export const WORKER_STALE_AFTER_MS = 150_000;

export async function recordHeartbeat(db: DbOrTx, beat: { workerId: string; hostname: string; pid: number }): Promise<void> {
  await db
    .insert(workerHeartbeats)
    .values({ ...beat, beatAt: new Date() })
    .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { beatAt: sql`now()`, hostname: beat.hostname, pid: beat.pid } });
  // Old rows from restarted workers would otherwise pile up.
  await db.delete(workerHeartbeats).where(lt(workerHeartbeats.beatAt, sql`now() - interval '1 day'`));
}

/**
 * A worker process is alive while its pool renews its liveness (every 2 s, workers/runner.ts):
 * one that stopped, was killed or lost its pool is "down" this soon, not after the heartbeat's 150 s.
 */
export const WORKER_LIVE_WITHIN_MS = 10_000;

export interface WorkerStatus {
  ok: boolean;
  lastBeatAt: Date | null;
  ageMs: number | null;
  /** Worker processes whose pool renewed its liveness within WORKER_LIVE_WITHIN_MS. */
  workers: number;
}

/** Up when a process's pool is running now and a heartbeat job ran lately (the job path works end to end). */
export async function getWorkerStatus(db: DbOrTx, now = new Date()): Promise<WorkerStatus> {
  const rows = await db.select().from(workerHeartbeats).orderBy(desc(workerHeartbeats.beatAt)).limit(1);
  const last = rows[0]?.beatAt ?? null;
  const ageMs = last ? now.getTime() - last.getTime() : null;
  const [live] = await db.execute<{ n: number }>(sql`
    select count(distinct (hostname, pid))::int as n from worker_processes where beat_at > ${now.toISOString()}::timestamptz - make_interval(secs => ${WORKER_LIVE_WITHIN_MS / 1000})`);
  const workers = Number(live?.n ?? 0);
  return { ok: workers > 0 && ageMs !== null && ageMs <= WORKER_STALE_AFTER_MS, lastBeatAt: last, ageMs, workers };
}

/** Renews this process's worker ids; rows not renewed for a day are dropped. */
export async function renewWorkerLiveness(db: DbOrTx, workerIds: string[], host: { hostname: string; pid: number }): Promise<void> {
  if (workerIds.length) {
    await db
      .insert(workerProcesses)
      .values(workerIds.map((workerId) => ({ workerId, ...host })))
      .onConflictDoUpdate({ target: workerProcesses.workerId, set: { beatAt: sql`now()` } });
  }
  await db.delete(workerProcesses).where(lt(workerProcesses.beatAt, sql`now() - interval '1 day'`));
}

export const DEAD_WORKER_AFTER_S = 60;

/**
 * Frees jobs held by workers that stopped renewing (a killed process). graphile-worker would keep
 * them, and their switch's whole queue, locked for 4 hours. Returns the worker ids unlocked.
 */
export async function unlockJobsOfDeadWorkers(db: DbOrTx, deadAfterS = DEAD_WORKER_AFTER_S): Promise<string[]> {
  const rows = await db.execute<{ locked_by: string }>(sql`
    select distinct j.locked_by from graphile_worker.jobs j
    where j.locked_by is not null
      and j.locked_at < now() - make_interval(secs => ${deadAfterS})
      and not exists (select 1 from worker_processes p where p.worker_id = j.locked_by and p.beat_at > now() - make_interval(secs => ${deadAfterS}))`);
  const dead = rows.map((r) => r.locked_by);
  if (dead.length) await db.execute(sql`select graphile_worker.force_unlock_workers(${textArray(dead)})`);
  return dead;
}

/** Frees the jobs these (our own, stopped) workers held, at once: they run again. */
export async function unlockJobsOfWorkers(db: DbOrTx, workerIds: string[]): Promise<void> {
  if (!workerIds.length) return;
  await db.execute(sql`select graphile_worker.force_unlock_workers(${`{${workerIds.map((w) => `"${w}"`).join(",")}}`}::text[])`);
}

/** A pool that stopped is not alive: its rows go, so health does not count it. */
export async function forgetWorkerLiveness(db: DbOrTx, workerIds: string[]): Promise<void> {
  if (!workerIds.length) return;
  await db.delete(workerProcesses).where(inArray(workerProcesses.workerId, workerIds));
}
