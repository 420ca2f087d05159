import { EventEmitter } from "node:events";
import os from "node:os";
import { Logger, run, type Runner, type WorkerEvents } from "graphile-worker";
import { DEAD_WORKER_AFTER_S, renewWorkerLiveness, unlockJobsOfDeadWorkers } from "@/server/services/platform/workers";
import { enqueueJob } from "@/server/jobs/enqueue";
import type { TaskDeps } from "./task-deps";
import { getLogger } from "@/server/logger";
import { parsedCronItems } from "./crontab";
import { createWorkerLogger } from "./logger";
import { createTaskList } from "./task-list";

export interface WorkerRunner {
  stop(): Promise<void>;
}

/**
 * Starts graphile-worker with our task list and crontab. The local queue fetches jobs in batches:
 * without it, 50 idle workers took 1.2 s to pick up 50 switch jobs (bench:apply-all ratio 1.39
 * vs 1.15 with it). It once let one named queue run jobs concurrently (graphile/worker#621, fixed
 * in #622); switch-reconcile.integration.test.ts proves per-switch serialisation across two runners.
 */
const LIVENESS_EVERY_MS = 15_000;

/** For tests that make jobs fail on purpose. */
export const silentLogger = new Logger(() => () => {});

export async function startWorkerRunner(opts: {
  connectionString: string;
  deps: TaskDeps;
  concurrency: number;
  logger?: Logger;
  deadWorkerAfterS?: number;
}): Promise<WorkerRunner> {
  const deadAfterS = opts.deadWorkerAfterS ?? DEAD_WORKER_AFTER_S;
  // Renewed well within the dead-after window, or a live worker's long job would be taken from it.
  const livenessEveryMs = Math.min(LIVENESS_EVERY_MS, (deadAfterS * 1000) / 4);
  // Our worker ids, to renew their liveness: a killed process's jobs are then freed by the others.
  const events = new EventEmitter() as WorkerEvents;
  const workerIds: string[] = [];
  events.on("worker:create", ({ worker }) => workerIds.push(worker.workerId));
  const host = { hostname: os.hostname(), pid: process.pid };
  await unlockJobsOfDeadWorkers(opts.deps.db, deadAfterS);
  const runner: Runner = await run({
    events,
    connectionString: opts.connectionString,
    concurrency: opts.concurrency,
    logger: opts.logger ?? createWorkerLogger(getLogger()),
    // The launcher owns signals and shuts us down in order (worker, then web, then database).
    noHandleSignals: true,
    // New jobs arrive by LISTEN/NOTIFY; polling only finds jobs whose run_at has just come (a
    // reconcile's gather window), so it is short.
    pollInterval: 250,
    preset: { worker: { localQueue: { size: opts.concurrency } } },
    taskList: createTaskList(opts.deps),
    parsedCronItems,
  });
  await renewWorkerLiveness(opts.deps.db, workerIds, host);
  const liveness = setInterval(() => {
    void renewWorkerLiveness(opts.deps.db, workerIds, host)
      .then(() => unlockJobsOfDeadWorkers(opts.deps.db, deadAfterS))
      .catch((e: unknown) => getLogger().warn({ err: e }, "worker liveness renewal failed"));
  }, livenessEveryMs);
  liveness.unref();
  // Health is green as soon as the worker really runs a job, not a minute later.
  await enqueueJob(opts.deps.db, "heartbeat", { reason: "startup" }, { jobKey: "heartbeat", maxAttempts: 1 });
  // The address timeline's one-off fill from pushes and collections stored before it existed (a no-op once done).
  await enqueueJob(opts.deps.db, "backfill-address-timeline", {}, { jobKey: "backfill-address-timeline", maxAttempts: 3 });
  return {
    stop: async () => {
      clearInterval(liveness);
      await runner.stop();
    },
  };
}
