import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { openJunosSession } from "@/server/connectors/junos/session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/drizzle/schema";
import { checkHealth } from "@/server/services/platform/health";
import { unlockJobsOfDeadWorkers } from "@/server/services/platform/workers";
import { listJobs } from "@/server/services/platform/jobs";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "./runner";

const { db, url } = await createTestDatabase();

async function waitFor<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("worker and jobs", () => {
  let runner: WorkerRunner | undefined;

  it("reports the worker down before any heartbeat", async () => {
    const health = await checkHealth(db);
    expect(health).toMatchObject({ ok: false, database: { ok: true }, worker: { ok: false, error: "no worker has ever reported" } });
  });

  describe("with a running worker", () => {
    beforeAll(async () => {
      runner = await startWorkerRunner({
        connectionString: url,
        deps: { db, secretsKey: randomBytes(32), openJunosSession },
        concurrency: 2,
        logger: silentLogger,
      });
    });
    afterAll(async () => {
      await runner?.stop();
    });

    it("runs the start-up heartbeat, so health turns green", async () => {
      const health = await waitFor(async () => {
        const h = await checkHealth(db);
        return h.ok && h;
      }, "a healthy heartbeat");
      expect(health.worker.workers).toBeGreaterThanOrEqual(1);
    });

    it("shows a failed job with its last error, and an admin's retry runs it again, audited", async () => {
      // A payload the task's schema refuses (as a job queued by an older release might carry):
      // added through graphile's SQL API, since enqueueJob itself would refuse it.
      const [added] = await db.execute<{ id: string }>(sql`select (graphile_worker.add_job('heartbeat', '{"bogus": true}'::json, max_attempts => 1)).id`);
      const jobId = Number(added!.id);
      const failed = await waitFor(async () => (await listJobs(db, { state: "failed", limit: 50 })).find((j) => j.id === jobId), "the job to fail");
      expect(failed.lastError).toContain("bogus");
      expect(failed).toMatchObject({ attempts: 1, maxAttempts: 1 });

      await expect(callerFor(db, buildViewer()).jobs.retry({ jobId })).rejects.toMatchObject({ code: "FORBIDDEN" });

      const admin = buildAdmin();
      const retried = await callerFor(db, admin).jobs.retry({ jobId });
      expect(retried.attempts).toBe(0);
      const [audit] = await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityId, String(jobId)));
      expect(audit).toMatchObject({ actor: admin.email, action: "job.retry", before: { state: "failed", attempts: 1 } });
      // It runs again (and fails again, since the payload is still bad).
      await waitFor(async () => (await listJobs(db, { state: "failed", limit: 50 })).find((j) => j.id === jobId && j.attempts === 1), "the retried run");
    });

    it("frees the jobs of a killed worker, not those of a live one", async () => {
      const add = async (lockedBy: string) => {
        const [job] = await db.execute<{ id: string }>(
          sql`select (graphile_worker.add_job('heartbeat', '{"reason": "cron"}'::json, run_at => now() + interval '1 hour')).id`,
        );
        await db.execute(
          sql`update graphile_worker._private_jobs set locked_by = ${lockedBy}, locked_at = now() - interval '5 minutes', run_at = now() where id = ${job!.id}`,
        );
        return Number(job!.id);
      };
      const killed = await add("worker-killed-by-oom");
      const alive = await add("worker-alive-elsewhere");
      await db.execute(sql`insert into worker_processes (worker_id, hostname, pid) values ('worker-alive-elsewhere', 'other-host', 1)`);

      expect(await unlockJobsOfDeadWorkers(db)).toEqual(["worker-killed-by-oom"]);
      // Freed, the job runs (and, done, leaves the queue); the live worker's job stays with it.
      await waitFor(async () => !(await listJobs(db, { limit: 100 })).some((j) => j.id === killed), "the freed job to run");
      expect((await listJobs(db, { limit: 100 })).find((j) => j.id === alive)).toMatchObject({ state: "running", lockedBy: "worker-alive-elsewhere" });
    });

    it("refuses to retry a job that does not exist", async () => {
      await expect(callerFor(db, buildAdmin()).jobs.retry({ jobId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });
});
