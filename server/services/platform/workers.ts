import { desc, lt, sql } from "drizzle-orm";
import { workerHeartbeats, workerProcesses } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/db/client";

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

export interface WorkerStatus {
  ok: boolean;
  lastBeatAt: Date | null;
  ageMs: number | null;
  workers: number;
}

export async function getWorkerStatus(db: DbOrTx, now = new Date()): Promise<WorkerStatus> {
  const rows = await db.select().from(workerHeartbeats).orderBy(desc(workerHeartbeats.beatAt)).limit(50);
  const last = rows[0]?.beatAt ?? null;
  const ageMs = last ? now.getTime() - last.getTime() : null;
  const live = rows.filter((r) => now.getTime() - r.beatAt.getTime() <= WORKER_STALE_AFTER_MS).length;
  return { ok: ageMs !== null && ageMs <= WORKER_STALE_AFTER_MS, lastBeatAt: last, ageMs, workers: live };
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
  if (dead.length)
    await db.execute(
      sql`select graphile_worker.force_unlock_workers(array[${sql.join(
        dead.map((d) => sql`${d}`),
        sql`, `,
      )}]::text[])`,
    );
  return dead;
}
