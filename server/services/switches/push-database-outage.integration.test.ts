// Issue 30: a confirmed commit is never left to roll back silently. Postgres (this file's own,
// stopped and started by the test) goes away at the moment the switch answers `commit confirmed`
// and stays away 15 s, longer than the switch's confirm window (1 lab minute = 6 s here). The
// worker (in this process, as `npm start` runs it) must still end with the binding on the switch,
// past the switch's timer, and the push's record must say what happened.
import { randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { switchDirtyPorts, switchPushes, switches } from "@/drizzle/schema";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createDatabase, type Database } from "@/server/db/client";
import { startRestartablePostgres, type RestartablePostgres } from "@/server/testing/restartable-postgres";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "@/workers/runner";
import { createSwitch, setPortBindings } from "./switches";

const TIME_SCALE = 10; // one lab minute = 6 s: the confirm window closes well inside the outage
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
let pg: RestartablePostgres;
let database: Database;
let sw: LabSwitch;
let runner: WorkerRunner;

beforeAll(async () => {
  pg = await startRestartablePostgres(Number(process.env.EMBEDDED_PG_PORT ?? 5433) + 22);
  database = createDatabase(pg.url, { max: 6 });
  sw = await startLabSwitch({ name: `confirm-outage-${process.pid}`, dialect: "non-els", timeScale: TIME_SCALE, initialConfig: "set system host-name lab" });
  runner = await startWorkerRunner({
    connectionString: pg.url,
    deps: { db: database.db, secretsKey, openJunosSession, confirmMinutes: 1, switchMinuteMs: 60_000 / TIME_SCALE },
    concurrency: 2,
    logger: silentLogger,
  });
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await sw?.close();
  await database?.close();
  await pg?.close();
});

const ipsOn = (iface: string) => (parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els").ports.get(iface) ?? []).map((b) => b.ip);

describe("Postgres lost from `commit confirmed` on, for 15 s", () => {
  it("the push still confirms, the binding outlives the switch's timer, and the record says the database was away", async () => {
    const { db } = database;
    const row = await createSwitch(db, secretsKey, admin, { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
    // Its first-contact run is moot (approved below); the push is the only run.
    await db.execute(sql`select graphile_worker.remove_job(${`reconcile:switch:${row.id}`})`);
    await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved", dialect: "non-els" }).where(eq(switches.id, row.id));

    let restarted: Promise<void> | undefined;
    // The switch runs `commit confirmed`, and answers only once Postgres is down; it comes back 15 s later.
    sw.setFaults({
      answerAfter: {
        command: "commit confirmed",
        wait: async () => {
          await pg.stop();
          restarted = new Promise((r) => setTimeout(r, 15_000)).then(() => pg.start());
        },
      },
    });
    await setPortBindings(db, admin, {
      switchId: row.id,
      interface: "ge-0/0/3.0",
      bindings: [{ ip: "10.0.48.33", mac: "02:00:0a:00:30:21", vlan: "VLAN.13" }],
    });

    await expect.poll(() => restarted !== undefined, { timeout: 20_000, interval: 100 }).toBe(true);
    await restarted;
    // Recorded once the database answers again (bounded: the push waits for it, then records).
    await expect
      .poll(async () => (await db.select().from(switchPushes).where(eq(switchPushes.switchId, row.id)).orderBy(asc(switchPushes.id))).map((p) => p.status), {
        timeout: 30_000,
        interval: 250,
      })
      .toContain("committed");
    const [push] = await db.select().from(switchPushes).where(eq(switchPushes.status, "committed"));
    expect(push!.note).toMatch(
      /the database was unreachable from .* \(after commit confirmed\); the push went on without it, ended committed, and was recorded/,
    );
    expect(await db.select().from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, row.id))).toEqual([]);

    // Past the switch's own timer (6 s after `commit confirmed`, long gone): still bound, never rolled back.
    expect(sw.state.isAwaitingConfirmation).toBe(false);
    expect(sw.state.commits.map((c) => c.kind)).toEqual(["confirmed", "commit"]);
    expect(ipsOn("ge-0/0/3.0")).toEqual(["10.0.48.33"]);
  }, 90_000);
});
