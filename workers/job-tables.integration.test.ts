// The Jobs page's two tables (#28 point 1) on real Postgres: finished runs and the queue, each with
// its whitelisted sort, its filters, and a total that counts the filtered rows, not the page.

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { enqueueJob } from "@/server/jobs/enqueue";
import { listJobQueuePage, listJobRunsPage } from "@/server/services/platform/queries";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";

const { db } = await createTestDatabase();

const view = <S extends string>(sort: S, extra: { dir?: "asc" | "desc"; filters?: Record<string, unknown>; page?: number; pageSize?: number } = {}) => ({
  sort,
  dir: extra.dir ?? ("asc" as const),
  filters: extra.filters ?? {},
  page: extra.page ?? 1,
  pageSize: extra.pageSize ?? 25,
});

beforeAll(async () => {
  // 30 runs, one an hour from 2026-12-01 01:00 UTC: task by g % 3 (0 heartbeat, 1
  // backup-switch, 2 backup-scheduler); every 5th failed, every 7th (not 5th) retried; duration 1000 * (31 - g) ms (reverse order).
  await db.execute(sql`
    insert into job_runs (job_id, task, attempt, max_attempts, outcome, started_at, finished_at, duration_ms, trigger_kind, error)
    select 100 + g, (array['heartbeat', 'backup-switch', 'backup-scheduler'])[g % 3 + 1], 1, 5,
      case when g % 5 = 0 then 'failed' when g % 7 = 0 then 'retried' else 'succeeded' end,
      timestamptz '2026-12-01 00:00Z' + g * interval '1 hour' - (31 - g) * interval '1 second',
      timestamptz '2026-12-01 00:00Z' + g * interval '1 hour', 1000 * (31 - g), 'system',
      case when g % 5 = 0 or g % 7 = 0 then 'boom' end
    from generate_series(1, 30) g`);
  for (let i = 0; i < 3; i++) await enqueueJob(db, "heartbeat", { reason: "startup" });
  const retried = await enqueueJob(db, "backup-switch", { switchId: 1, reason: "on-demand" });
  await db.execute(sql`update graphile_worker._private_jobs set attempts = 1, last_error = 'refused' where id = ${retried}`);
});

describe("finished job runs", () => {
  it("sorts newest first by default and pages with the total of all runs", async () => {
    const first = await listJobRunsPage(db, view("finished", { dir: "desc", pageSize: 25 }));
    expect(first.total).toBe(30);
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]!.jobId).toBe(130);
    const second = await listJobRunsPage(db, view("finished", { dir: "desc", pageSize: 25, page: 2 }));
    expect(second.rows.map((r) => r.jobId)).toEqual([105, 104, 103, 102, 101]);
  });

  it("sorts by duration, task and outcome", async () => {
    const byDuration = await listJobRunsPage(db, view("duration", { pageSize: 50 }));
    expect(byDuration.rows.map((r) => r.durationMs)).toEqual([...byDuration.rows.map((r) => r.durationMs)].sort((a, b) => a - b));
    expect(byDuration.rows[0]).toMatchObject({ jobId: 130, durationMs: 1000 });
    const byTask = await listJobRunsPage(db, view("task", { dir: "desc", pageSize: 50 }));
    expect(byTask.rows.map((r) => r.task)).toEqual([...Array(10).fill("heartbeat"), ...Array(10).fill("backup-switch"), ...Array(10).fill("backup-scheduler")]);
    const byOutcome = await listJobRunsPage(db, view("outcome", { pageSize: 50 }));
    expect(byOutcome.rows.map((r) => r.outcome)).toEqual([...Array(6).fill("failed"), ...Array(4).fill("retried"), ...Array(20).fill("succeeded")]);
  });

  it("filters by task, outcome and the finish range, totals counting the filtered runs", async () => {
    const failedBackups = await listJobRunsPage(db, view("finished", { filters: { task: "backup-switch", outcome: "failed" } }));
    // g % 3 = 1 → backup-switch; failed at g % 5 = 0: g = 10, 25.
    expect(failedBackups.rows.map((r) => r.jobId)).toEqual([110, 125]);
    expect(failedBackups.total).toBe(2);
    const day2 = await listJobRunsPage(db, view("finished", { filters: { from: new Date("2026-12-01T10:00:00Z"), to: new Date("2026-12-01T12:00:00Z") } }));
    expect(day2.rows.map((r) => r.jobId)).toEqual([110, 111, 112]);
    expect(day2.total).toBe(3);
    const none = await listJobRunsPage(db, view("finished", { filters: { to: new Date("2020-01-01T00:00:00Z") } }));
    expect(none).toMatchObject({ rows: [], total: 0 });
  });

  it("is what viewers read through the API, with its whitelist", async () => {
    const viewer = callerFor(db, buildViewer());
    const page = await viewer.jobs.runs({ sort: "duration", dir: "desc", filters: { outcome: "retried" }, pageSize: 25 });
    expect(page.rows.map((r) => r.jobId)).toEqual([107, 114, 121, 128]);
    await expect(viewer.jobs.runs({ sort: "error" as never })).rejects.toThrow();
  });
});

describe("the queue", () => {
  it("filters by state and task, sorts by task, and counts what matches", async () => {
    const all = await listJobQueuePage(db, view("task"));
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => r.task)).toEqual(["backup-switch", "heartbeat", "heartbeat", "heartbeat"]);
    const retrying = await listJobQueuePage(db, view("id", { filters: { state: "retrying" } }));
    expect(retrying.rows.map((r) => ({ task: r.task, state: r.state, lastError: r.lastError }))).toEqual([
      { task: "backup-switch", state: "retrying", lastError: "refused" },
    ]);
    const queuedHeartbeats = await listJobQueuePage(db, view("id", { filters: { state: "queued", task: "heartbeat" }, pageSize: 25 }));
    expect(queuedHeartbeats.total).toBe(3);
    const viewer = callerFor(db, buildViewer());
    expect((await viewer.jobs.queue({ filters: { task: "heartbeat" } })).total).toBe(3);
  });
});
