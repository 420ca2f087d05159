import { EventEmitter } from "node:events";
import os from "node:os";
import { sql } from "drizzle-orm";
import { Logger, run, type Runner, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import { isDatabaseUnavailable, markDatabaseDown, markDatabaseUp, retryWhileDatabaseAway, waitForDatabase } from "@/server/db/availability";
import {
  DEAD_WORKER_AFTER_S,
  forgetWorkerLiveness,
  renewWorkerLiveness,
  unlockJobsOfDeadWorkers,
  unlockJobsOfWorkers,
} from "@/server/services/platform/workers";
import { requeueWaitingEvents } from "@/server/services/port-security/events";
import { enqueueJob } from "@/server/jobs/enqueue";
import type { TaskDeps } from "./task-deps";
import { getLogger } from "@/server/logger";
import { parsedCronItems } from "./crontab";
import { createWorkerLogger } from "./logger";
import { createTaskList } from "./task-list";
import { recordRuns } from "./record-runs";

export interface WorkerRunner {
  stop(): Promise<void>;
}

/**
 * Starts graphile-worker with our task list and crontab. No local queue (amended, issue 30): it
 * fetched jobs in batches (bench:apply-all ratio 1.15 with it, 1.39 without), but when its pool
 * stops while Postgres is away it cannot hand its fetched jobs back and throws that from a promise
 * nobody awaits (graphile-worker 0.17.3 localQueue.js returnJobs, mode RELEASED): the process
 * died. Per-switch serialisation across two runners: switch-reconcile.integration.test.ts.
 */
/** How often a running pool says it is alive: health calls a worker down a few of these after its last. */
export const LIVENESS_EVERY_MS = 2_000;
/** How often dead workers' jobs are looked for. */
const UNLOCK_EVERY_MS = 15_000;

/** For tests that make jobs fail on purpose. */
export const silentLogger = new Logger(() => () => {});

/**
 * Riding out a database outage (issue 30). graphile-worker 0.17 cannot: a job that ends while
 * Postgres is away cannot be marked complete or failed, and its un-batched path leaves that
 * promise unhandled (the process dies), while its batched path shuts the pool down ("queue is in
 * an inconsistent state") without the retries it means to make (graphile/worker#636). So:
 * - a task that fails because the database is away waits for it (backoff with jitter, at most
 *   TASK_DATABASE_WAIT_MS) and runs again, so its job usually ends normally once it is back;
 * - completions and failures go through the batched path (failures there shut the pool down
 *   instead of killing the process), and this supervisor restarts the pool once the database
 *   answers, first freeing the jobs the old pool held (they run again) once none of its tasks
 *   is still running;
 * - each time the database comes back, waiting events and dirty switches get their jobs again.
 */
const TASK_DATABASE_WAIT_MS = 25_000;

export async function startWorkerRunner(opts: {
  connectionString: string;
  deps: TaskDeps;
  concurrency: number;
  logger?: Logger;
  deadWorkerAfterS?: number;
}): Promise<WorkerRunner> {
  const { db } = opts.deps;
  const log = getLogger();
  const deadAfterS = opts.deadWorkerAfterS ?? DEAD_WORKER_AFTER_S;
  const host = { hostname: os.hostname(), pid: process.pid };
  const probe = () => db.execute(sql`select 1`);
  const stopping = new AbortController();
  // Tasks of every pool this process ran that have not ended: a pool is replaced only once its are done.
  const inFlight = new Set<Promise<unknown>>();
  // Each attempt recorded once, around the database-outage retries (one run, however many waits).
  const taskList = recordRuns(trackTasks(createTaskList(opts.deps), inFlight, probe), db);

  interface Pool {
    runner: Runner;
    /** What graphile-worker writes in jobs.locked_by: its workers' ids (and the pool's, were a local queue on). */
    lockIds: string[];
    /** Settles when graphile starts shutting the pool down, by itself or because we asked. */
    stopped: Promise<void>;
  }
  // One pg pool for every graphile pool this process runs, ours to end. graphile ends a pool it
  // made itself on release and removes its error listeners first: an idle connection of that pool
  // dropped by a later restart of Postgres then emitted 'error' with no listener and ended the
  // process. This one keeps its listeners for its whole life; pg replaces dropped connections.
  const pgPool = new pg.Pool({ connectionString: opts.connectionString, max: opts.concurrency + 4, connectionTimeoutMillis: 10_000 });
  const onPgError = (e: Error) => log.warn(`sankofa-worker: a job-runner connection was lost: ${e.message}`);
  pgPool.on("error", onPgError);
  pgPool.on("connect", (client) => client.on("error", onPgError));
  let pool: Pool | undefined;
  const startPool = async (): Promise<Pool> => {
    const events = new EventEmitter() as WorkerEvents;
    const lockIds: string[] = [];
    events.on("pool:create", ({ workerPool }) => lockIds.push(workerPool.id));
    events.on("worker:create", ({ worker }) => lockIds.push(worker.workerId));
    // The runner's own promise settles only once its pg pool has ended, which can wait long on a
    // connection the outage left behind: the shutdown's first event is what we act on.
    const stopped = new Promise<void>((resolve) => {
      for (const name of ["pool:gracefulShutdown", "pool:forcefulShutdown", "stop"] as const) events.once(name, () => resolve());
    });
    const runner = await run({
      events,
      pgPool,
      concurrency: opts.concurrency,
      logger: opts.logger ?? createWorkerLogger(log),
      // The launcher owns signals and shuts us down in order (worker, then web, then database).
      noHandleSignals: true,
      // New jobs arrive by LISTEN/NOTIFY; polling only finds jobs whose run_at has just come (a
      // reconcile's gather window), so it is short.
      pollInterval: 250,
      // Batched (delay 0): a completion the database cannot take stops the pool (restarted
      // below) rather than becoming an unhandled rejection that ends the process.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      taskList,
      parsedCronItems,
    });
    void runner.promise.catch(() => {});
    return {
      runner,
      lockIds,
      stopped: Promise.race([
        stopped,
        runner.promise.then(
          () => {},
          () => {},
        ),
      ]),
    };
  };

  let wasDown = false;
  /** Liveness while a pool runs; the first renewal after a failed one is the database coming back. */
  const renew = async () => {
    if (!pool) return;
    try {
      await renewWorkerLiveness(db, pool.lockIds, host);
      markDatabaseUp();
      if (wasDown) {
        wasDown = false;
        await recoverAfterOutage();
      }
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      markDatabaseDown();
      wasDown = true;
    }
  };
  const recoverAfterOutage = async () => {
    const requeued = await requeueWaitingEvents(db, { olderThanS: 0, isAfterOutage: true });
    await enqueueJob(db, "heartbeat", { reason: "startup" }, { jobKey: "heartbeat", maxAttempts: 1 });
    log.warn({ requeued }, "sankofa-worker: database answers again; waiting events and dirty switches queued again");
  };

  await waitForDatabase(probe, { signal: stopping.signal });
  await unlockJobsOfDeadWorkers(db, deadAfterS);
  pool = await startPool();
  await renewWorkerLiveness(db, pool.lockIds, host);
  const liveness = setInterval(() => void renew().catch((e: unknown) => log.warn({ err: e }, "worker liveness renewal failed")), LIVENESS_EVERY_MS);
  liveness.unref();
  const unlocking = setInterval(
    () =>
      void unlockJobsOfDeadWorkers(db, deadAfterS).catch(
        (e: unknown) => isDatabaseUnavailable(e) || log.warn({ err: e }, "unlocking dead workers' jobs failed"),
      ),
    // Well within the dead-after window, so a killed worker's jobs are freed soon after it counts as dead.
    Math.min(UNLOCK_EVERY_MS, (deadAfterS * 1000) / 4),
  );
  unlocking.unref();
  // Health is green as soon as the worker really runs a job, not a minute later.
  await enqueueJob(db, "heartbeat", { reason: "startup" }, { jobKey: "heartbeat", maxAttempts: 1 });
  // The address timeline's one-off fill from pushes and collections stored before it existed (a no-op once done).
  await enqueueJob(db, "backfill-address-timeline", {}, { jobKey: "backfill-address-timeline", maxAttempts: 3 });

  const supervise = async () => {
    while (pool && !stopping.signal.aborted) {
      await pool.stopped;
      if (stopping.signal.aborted) return;
      const old = pool;
      pool = undefined;
      log.error("sankofa-worker: the job runner stopped (the database went away while jobs ended); restarting it once the database answers");
      // Let it finish releasing what it can (bounded), and let none of its tasks still run.
      await Promise.race([old.runner.stop().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
      await Promise.allSettled([...inFlight]);
      let attempt = 0;
      while (!pool && !stopping.signal.aborted) {
        await waitForDatabase(probe, {
          signal: stopping.signal,
          onWait: (e, n) => n === 0 && log.warn(`sankofa-worker: database unreachable (${e instanceof Error ? e.message : String(e)}); retrying with backoff`),
        });
        if (stopping.signal.aborted) return;
        try {
          // The old pool is gone and none of its tasks runs: its jobs are free to run again now.
          await unlockJobsOfWorkers(db, old.lockIds);
          await forgetWorkerLiveness(db, old.lockIds);
          pool = await startPool();
          await renewWorkerLiveness(db, pool.lockIds, host);
          wasDown = false;
          await recoverAfterOutage();
          log.warn("sankofa-worker: job runner restarted");
        } catch (e) {
          log.warn({ err: e }, "sankofa-worker: restarting the job runner failed; trying again");
          await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt++, 5_000)));
        }
      }
    }
  };
  const supervising = supervise();

  return {
    stop: async () => {
      stopping.abort();
      clearInterval(liveness);
      clearInterval(unlocking);
      const current = pool;
      pool = undefined;
      await current?.runner.stop().catch(() => {});
      await supervising;
      // Gone now, not in a few seconds: health stops counting this process at once.
      if (current) await forgetWorkerLiveness(db, current.lockIds).catch(() => {});
      await Promise.race([pgPool.end().catch(() => {}), new Promise((r) => setTimeout(r, 5_000).unref())]);
    },
  };
}

/**
 * Every task, tracked while it runs, and run again when it failed because the database was away
 * (once it answers, for at most TASK_DATABASE_WAIT_MS): our tasks are level-triggered (they read
 * what is to be done when they run), so a second run is what graphile's retry would do, without
 * using up an attempt for an outage.
 */
function trackTasks(list: TaskList, inFlight: Set<Promise<unknown>>, probe: () => Promise<unknown>): TaskList {
  const out: TaskList = {};
  for (const [name, task] of Object.entries(list) as Array<[string, Task]>) {
    out[name] = (payload, helpers) => {
      const running = retryWhileDatabaseAway(async () => task(payload, helpers), probe, { maxWaitMs: TASK_DATABASE_WAIT_MS });
      inFlight.add(running);
      void running.catch(() => {}).finally(() => inFlight.delete(running));
      return running;
    };
  }
  return out;
}
