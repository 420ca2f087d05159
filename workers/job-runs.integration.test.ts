import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, jobRuns, switches } from "@/drizzle/schema";
import { openJunosSession } from "@/server/connectors/junos/session";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit } from "@/server/services/platform/audit";
import { pruneJobRuns } from "@/server/services/platform/job-runs";
import { listJobRunsPage } from "@/server/services/platform/queries";
import { getSettings, updateSettings } from "@/server/services/platform/settings";
import { createSwitch } from "@/server/services/switches/switches";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "./runner";

const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);

async function waitFor<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const runsOf = (jobId: number) => db.select().from(jobRuns).where(eq(jobRuns.jobId, jobId)).orderBy(jobRuns.id);
const waitForRuns = (jobId: number, n: number, what: string) =>
  waitFor(async () => {
    const rows = await runsOf(jobId);
    return rows.length >= n && rows;
  }, what);

describe("job runs recorded by a real worker", () => {
  let runner: WorkerRunner;
  beforeAll(async () => {
    runner = await startWorkerRunner({ connectionString: url, deps: { db, secretsKey, openJunosSession }, concurrency: 2, logger: silentLogger });
  });
  afterAll(async () => {
    await runner.stop();
  });

  it("records a task that succeeds with its outcome, duration and what started it (the audit row of its transaction)", async () => {
    const jobId = await db.transaction(async (tx) => {
      await writeAudit(tx, { id: "ops-alice@example.test" }, { action: "test.request", entityType: "test", entityId: "heartbeat" });
      return enqueueJob(tx, "heartbeat", { reason: "cron" }, { maxAttempts: 1 });
    });
    const [run] = await waitForRuns(jobId, 1, "the heartbeat's run");
    expect(run).toMatchObject({
      task: "heartbeat",
      outcome: "succeeded",
      attempt: 1,
      maxAttempts: 1,
      error: null,
      triggerKind: "user",
      triggerRef: "ops-alice@example.test",
    });
    expect(run!.finishedAt.getTime()).toBeGreaterThanOrEqual(run!.startedAt.getTime());
    expect(run!.durationMs).toBe(run!.finishedAt.getTime() - run!.startedAt.getTime());
  });

  it("records each failed attempt: retried while attempts remain, then failed, with the error", async () => {
    // A payload the task's schema refuses, added through graphile's SQL API (enqueueJob would refuse it).
    const [added] = await db.execute<{ id: string }>(sql`select (graphile_worker.add_job('heartbeat', '{"bogus": true}'::json, max_attempts => 2)).id`);
    const jobId = Number(added!.id);
    const [first] = await waitForRuns(jobId, 1, "the first attempt");
    expect(first).toMatchObject({ outcome: "retried", attempt: 1, maxAttempts: 2, triggerKind: "system" });
    expect(first!.error).toContain("bogus");
    // graphile's backoff puts the second attempt seconds away: bring it forward.
    await db.execute(sql`select graphile_worker.reschedule_jobs(array[${jobId}::bigint], run_at => now())`);
    const runs = await waitForRuns(jobId, 2, "the last attempt");
    expect(runs[1]).toMatchObject({ outcome: "failed", attempt: 2, maxAttempts: 2 });
    expect(runs[1]!.error).toContain("bogus");
    expect(runs[1]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("names the schedule of a cron run and the job that queued another", async () => {
    const sw = await createSwitch(
      db,
      secretsKey,
      { id: "admin" },
      { name: `sw-${randomBytes(3).toString("hex")}`, host: "127.0.0.1", port: 1, username: "u", password: "p" },
    );
    await db.update(switches).set({ hostKeyState: "approved", hostKeyFingerprint: "SHA256:test" }).where(eq(switches.id, sw.id));
    const { backupSchedule } = await getSettings(db);
    expect(backupSchedule).toBe("0 3 * * *");
    // As graphile's cron queues it for 03:00 (backfilled): the scheduler queues this switch's backup.
    const [added] = await db.execute<{ id: string }>(
      sql`select (graphile_worker.add_job('backup-scheduler', '{"_cron": {"ts": "2026-12-06T03:00:00.000Z", "backfilled": true}}'::json, max_attempts => 1)).id`,
    );
    const schedulerId = Number(added!.id);
    const [scheduler] = await waitForRuns(schedulerId, 1, "the scheduler's run");
    expect(scheduler).toMatchObject({ outcome: "succeeded", triggerKind: "schedule", triggerRef: "backup-scheduler at 2026-12-06 03:00 UTC" });
    // The backup it queued (nothing listens on port 1: the attempt fails and is recorded as such).
    const backup = await waitFor(
      async () =>
        (
          await db
            .select()
            .from(jobRuns)
            .where(and(eq(jobRuns.task, "backup-switch"), eq(jobRuns.triggerKind, "job")))
        )[0],
      "the backup's run",
    );
    expect(backup.triggerRef).toBe(`backup-scheduler #${schedulerId}`);
    expect(backup.outcome).not.toBe("succeeded");
    expect(backup.error).toBeTruthy();
  });

  it("lists runs filtered by task and outcome with the total, for viewers", async () => {
    const viewer = callerFor(db, buildViewer());
    const failed = await viewer.jobs.runs({ filters: { task: "heartbeat", outcome: "failed" } });
    expect(failed.total).toBe(1);
    expect(failed.rows.map((r) => r.outcome)).toEqual(["failed"]);
    const heartbeats = await viewer.jobs.runs({ filters: { task: "heartbeat" }, pageSize: 25 });
    expect(heartbeats.total).toBeGreaterThanOrEqual(4);
    expect(heartbeats.rows.length).toBe(Math.min(25, heartbeats.total));
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const all = await listJobRunsPage(db, { sort: "finished", dir: "desc", filters: {}, page: 1, pageSize: 25 });
    expect((await viewer.jobs.runs({ filters: { from: today } })).total).toBe(all.total);
    expect((await viewer.jobs.runs({ filters: { to: new Date("2020-01-01T00:00:00Z") } })).total).toBe(0);
  });

  it("prunes runs older than the retention set in Settings (an audited change), keeping the rest", async () => {
    const now = Date.now();
    const old = (days: number, task: string): typeof jobRuns.$inferInsert => ({
      jobId: 1_000_000 + days,
      task,
      attempt: 1,
      maxAttempts: 1,
      outcome: "succeeded",
      startedAt: new Date(now - days * 86_400_000 - 1000),
      finishedAt: new Date(now - days * 86_400_000),
      durationMs: 1000,
      triggerKind: "system",
    });
    // Runs as a worker of weeks ago would have left them.
    await db.insert(jobRuns).values([old(40, "prune-test-old"), old(20, "prune-test-kept"), old(9, "prune-test-recent")]);
    await updateSettings(db, { id: "admin@example.test" }, { jobRunRetentionDays: "10" });
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "settings.update"), eq(auditLog.entityId, "jobRunRetentionDays")));
    expect(audit).toMatchObject({ actor: "admin@example.test", before: 30, after: 10 });

    const jobId = await enqueueJob(db, "prune-job-runs", {}, { maxAttempts: 1 });
    const [run] = await waitForRuns(jobId, 1, "the prune's run");
    expect(run!.outcome).toBe("succeeded");
    const left = (await db.select({ task: jobRuns.task }).from(jobRuns)).map((r) => r.task).filter((t) => t.startsWith("prune-test"));
    expect(left).toEqual(["prune-test-recent"]);
    // Nothing the worker recorded today went.
    expect((await runsOf(jobId)).length).toBe(1);
    // Inside the retention nothing goes, however often it runs.
    expect(await pruneJobRuns(db, 10)).toBe(0);
    expect(await pruneJobRuns(db, 1, new Date(now + 30 * 86_400_000))).toBeGreaterThan(0);
  });
});
