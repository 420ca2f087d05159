// Issue 30, the worker as its own process (`npm run worker`): a 10 s Postgres outage in the
// middle of a 300-event burst (server/testing/outage-burst.ts). The process stays up; nothing is
// restarted by hand; killed, health calls it down within seconds.
import type { ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkHealth } from "@/server/services/platform/health";
import {
  burstThroughOutage,
  expectClearAnswersDuringOutage,
  expectEveryAcceptedEventBound,
  expectHealthRecovered,
  getOutageWorld,
  useOutageBurstWorld,
} from "@/server/testing/outage-burst";
import { startWorkerProcess, stopProcess } from "@/server/testing/worker-process";

useOutageBurstWorld(23);

describe("a 10 s Postgres outage in the middle of a 300-event burst", () => {
  it("with `npm run worker` as its own process: it stays up, and every accepted event is bound", async () => {
    const { pg, db, web, tenantos, secretsKey } = getOutageWorld();
    const worker: ChildProcess = await startWorkerProcess(pg.url, secretsKey, {
      TENANTOS_URL: tenantos.url,
      TENANTOS_API_KEY: tenantos.apiKey,
      LOG_LEVEL: process.env.OUTAGE_LOG || "error",
    });
    if (process.env.OUTAGE_LOG) worker.stdout!.on("data", (d: Buffer) => process.stderr.write(d));
    const exits: Array<number | null> = [];
    worker.on("exit", (code) => exits.push(code));
    try {
      const { answers, healthDown } = await burstThroughOutage(0);
      expectClearAnswersDuringOutage(answers);
      await expectEveryAcceptedEventBound(0, answers);
      await expectHealthRecovered(healthDown);
      expect(exits).toEqual([]);
      // Health counts it live by its pool's own loop: stopped, it is "down" within seconds.
      await stopProcess(worker, "SIGKILL");
      await expect.poll(async () => (await checkHealth(web.db)).worker, { timeout: 20_000, interval: 500 }).toMatchObject({ ok: false, workers: 0 });
    } finally {
      await stopProcess(worker);
    }
    expect((await db.db.execute<{ n: number }>(sql`select count(*)::int as n from worker_processes where beat_at > now() - interval '10 seconds'`))[0]!.n).toBe(
      0,
    );
  }, 120_000);
});
