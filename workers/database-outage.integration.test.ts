// Issue 30, the worker in this process (as `npm start` runs it): a 10 s Postgres outage in the
// middle of a 300-event burst (server/testing/outage-burst.ts). Nothing is restarted by hand.
import { openJunosSession } from "@/server/connectors/junos/session";
import { describe, it } from "vitest";
import {
  burstThroughOutage,
  expectClearAnswersDuringOutage,
  expectEveryAcceptedEventBound,
  expectHealthRecovered,
  getOutageWorld,
  panel,
  useOutageBurstWorld,
} from "@/server/testing/outage-burst";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "./runner";

useOutageBurstWorld(21);

describe("a 10 s Postgres outage in the middle of a 300-event burst", () => {
  it("with the worker in process: every accepted event bound, refusals are 503 + Retry-After, health sees it and recovers", async () => {
    const { pg, db, secretsKey } = getOutageWorld();
    const runner: WorkerRunner = await startWorkerRunner({
      connectionString: pg.url,
      deps: { db: db.db, secretsKey, openJunosSession, panel: panel() },
      concurrency: 4,
      logger: silentLogger,
    });
    try {
      const { answers, healthDown } = await burstThroughOutage(0);
      expectClearAnswersDuringOutage(answers);
      await expectEveryAcceptedEventBound(0, answers);
      await expectHealthRecovered(healthDown);
    } finally {
      await runner.stop();
    }
  }, 120_000);
});
