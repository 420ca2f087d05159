import { desc, lt, sql } from "drizzle-orm";
import { workerHeartbeats } from "@/drizzle/schema";
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
