import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { switchDirtyPorts, switchPushes, switches } from "@/drizzle/schema";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import type { LabSwitchFaults } from "@/lab/junos/switch-state";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { startWorkerProcess, stopProcess } from "@/server/testing/worker-process";
import { silentLogger, startWorkerRunner } from "@/workers/runner";
import { reconcileSwitch, type ReconcileDeps } from "./reconcile";
import { getSwitchDetail } from "./queries";
import { createSwitch, setPortBindings } from "./switches";

// Faults are real: the lab switch drops the SSH session at a given step, hangs, or a worker
// process is killed with SIGKILL. Each test ends by checking the switch holds exactly the desired
// bindings and nothing else changed.
const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
const BASE = "set system host-name lab\nset ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4";
let n = 0;

/** timeScale: lab minutes run this many times faster than real ones (the commit confirmed timer). */
async function labSwitch(timeScale: number): Promise<LabSwitch> {
  const sw = await startLabSwitch({ name: `rec-${process.pid}-${++n}`, dialect: "non-els", timeScale, initialConfig: BASE });
  afterAll(() => sw.close());
  return sw;
}

async function register(sw: LabSwitch) {
  const row = await createSwitch(db, secretsKey, admin, { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
  await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
  // createSwitch queued a first contact; these tests drive runs themselves or through workers.
  await db.execute(sql`select graphile_worker.remove_job(${`reconcile:switch:${row.id}`})`);
  return row;
}

const binding = (i: number) => ({ ip: `10.0.48.${i}`, mac: `02:00:0a:00:30:${i.toString(16).padStart(2, "0")}`, vlan: "VLAN.13" });
const ipsOn = (sw: LabSwitch, iface: string) => (parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els").ports.get(iface) ?? []).map((b) => b.ip);
/** The configuration without our binding lines: must equal what it was before any push. */
const withoutBindings = (text: string) =>
  text
    .split("\n")
    .filter((l) => !/ static-ip /.test(l))
    .join("\n");
const pushesOf = async (switchId: number) => db.select().from(switchPushes).where(eq(switchPushes.switchId, switchId)).orderBy(asc(switchPushes.id));
const dirtyOf = async (switchIds: number[]) => (await db.select().from(switchDirtyPorts).where(inArray(switchDirtyPorts.switchId, switchIds))).length;

function depsFor(timeScale: number, confirmMinutes = 1): ReconcileDeps {
  return { db, secretsKey, openSession: openJunosSession, confirmMinutes, switchMinuteMs: 60_000 / timeScale, sessionOptions: { commandTimeoutMs: 5_000 } };
}

function dropOnce(sw: LabSwitch, fault: NonNullable<LabSwitchFaults["dropAt"]>) {
  sw.setFaults({ dropAt: fault });
}

describe("a push whose session is lost after commit confirmed", () => {
  it("is on trial (shown on the switch page), and the next run confirms it: the change outlives the timer", async () => {
    const sw = await labSwitch(10); // 1 lab minute = 6 s
    const row = await register(sw);
    const before = sw.state.displaySet();
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(5)] });
    dropOnce(sw, { command: "commit confirmed", phase: "after" });

    const first = await reconcileSwitch(depsFor(10), row.id, "test");
    expect(first).toMatchObject({ status: "awaiting-confirm", error: { kind: "connection" } });
    const detail = await getSwitchDetail(db, row.id);
    expect(detail.pendingConfirm).toMatchObject({ status: "awaiting-confirm", changeId: (first as { push: { changeId: string } }).push.changeId });
    expect(detail.pendingConfirm!.deadline.getTime()).toBeGreaterThan(Date.now());

    const second = await reconcileSwitch(depsFor(10), row.id, "retry");
    expect(second.status).toBe("unchanged");
    const [original, retry] = await pushesOf(row.id);
    expect(original).toMatchObject({ status: "confirmed-after-reconnect", confirmDeadline: null });
    expect(retry!.note).toContain(original!.changeId);
    expect((await getSwitchDetail(db, row.id)).pendingConfirm).toBeNull();
    expect(await dirtyOf([row.id])).toBe(0);

    await new Promise((r) => setTimeout(r, 6_500)); // past the switch's timer
    expect(sw.state.commits.map((c) => c.kind)).toEqual(["confirmed", "commit"]);
    expect(ipsOn(sw, "ge-0/0/1.0")).toEqual(["10.0.48.5"]);
    expect(withoutBindings(sw.state.displaySet())).toBe(withoutBindings(before));
  }, 20_000);

  it("when the retry comes after the switch rolled it back: recorded as rolled back by the switch, planned again and committed", async () => {
    const sw = await labSwitch(60); // 1 lab minute = 1 s
    const row = await register(sw);
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(6)] });
    dropOnce(sw, { command: "run show configuration", phase: "after" });
    expect((await reconcileSwitch(depsFor(60), row.id, "test")).status).toBe("awaiting-confirm");
    await expect.poll(() => sw.state.isAwaitingConfirmation, { timeout: 3_000 }).toBe(false);
    expect(ipsOn(sw, "ge-0/0/1.0")).toEqual([]);

    expect((await reconcileSwitch(depsFor(60), row.id, "retry")).status).toBe("committed");
    const [original, retry] = await pushesOf(row.id);
    expect(original).toMatchObject({ status: "rolled-back-by-switch" });
    expect(original!.note).toContain(retry!.changeId);
    expect(ipsOn(sw, "ge-0/0/1.0")).toEqual(["10.0.48.6"]);
    expect(await dirtyOf([row.id])).toBe(0);
  });

  it("a confirmed commit someone else left pending defers the run past its deadline, stacking nothing on it", async () => {
    const sw = await labSwitch(60);
    const row = await register(sw);
    // Someone's own change on trial: a confirmed commit that is not ours.
    const other = await openJunosSession({
      host: sw.host,
      port: sw.port,
      username: sw.username,
      password: sw.password,
      hostKeyFingerprint: sw.hostKeyFingerprint,
    });
    await other.run("configure");
    await other.run("set system host-name noc-trial");
    await other.run("commit confirmed 2 comment noc-alice-test");
    await other.close();
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(7)] });

    const deferred = await reconcileSwitch(depsFor(60), row.id, "test");
    expect(deferred).toMatchObject({ status: "deferred", error: { kind: "pending-confirm" } });
    expect((deferred as { error: Error }).error.message).toContain("noc-alice-test");
    // Retried only after the switch's own deadline (2 lab minutes = 2 s here).
    expect((deferred as { retryAt: Date }).retryAt.getTime()).toBeGreaterThanOrEqual(Date.now() + 1_500);
    expect(sw.state.commits.map((c) => c.comment)).toEqual(["noc-alice-test"]);
    expect((await getSwitchDetail(db, row.id)).pendingConfirm).toMatchObject({ status: "deferred" });

    await expect.poll(() => sw.state.isAwaitingConfirmation, { timeout: 4_000 }).toBe(false);
    expect((await reconcileSwitch(depsFor(60), row.id, "after-pending-confirm")).status).toBe("committed");
    expect(ipsOn(sw, "ge-0/0/1.0")).toEqual(["10.0.48.7"]);
    expect(sw.state.displaySet()).toContain("host-name lab");
  });
});

describe("workers dying and racing around a confirmed commit", () => {
  // The runs above were driven by hand; their queued jobs are not these workers' business.
  beforeAll(() => db.execute(sql`select graphile_worker.remove_job(key) from graphile_worker.jobs where key is not null and locked_by is null`));

  it("a worker killed (SIGKILL) mid-push after commit confirmed, restarted after the timer: the switch ends holding the desired bindings", async () => {
    const sw = await labSwitch(60); // the worker's 5-minute confirm = 5 s
    const row = await register(sw);
    const before = sw.state.displaySet();
    sw.setFaults({ stallAfter: "run show configuration" });
    const doomed = await startWorkerProcess(url, secretsKey);
    let restarted: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
    try {
      await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(8), binding(9)] });
      await expect.poll(() => sw.state.stalledCommands.length, { timeout: 15_000 }).toBe(1);
      await stopProcess(doomed, "SIGKILL");
      // The change was on trial; nobody confirms it, so the switch rolls it back.
      await expect.poll(() => sw.state.isAwaitingConfirmation, { timeout: 10_000 }).toBe(false);
      expect(sw.state.displaySet()).toBe(before);

      restarted = await startWorkerProcess(url, secretsKey, { WORKER_DEAD_AFTER_SECONDS: "4" });
      await expect.poll(() => dirtyOf([row.id]), { timeout: 30_000, interval: 250 }).toBe(0);
    } finally {
      await stopProcess(doomed, "SIGKILL");
      if (restarted) await stopProcess(restarted);
    }
    expect(ipsOn(sw, "ge-0/0/1.0")).toEqual(["10.0.48.8", "10.0.48.9"]);
    expect(withoutBindings(sw.state.displaySet())).toBe(withoutBindings(before));
    expect(sw.state.maxConcurrentSessions).toBe(1);
    expect((await pushesOf(row.id)).map((p) => p.status)).toEqual(["rolled-back-by-switch", "committed"]);
  }, 60_000);

  it("two workers racing after a dropped session: one confirms the pending commit, once", async () => {
    const sw = await labSwitch(10); // confirm windows of 6 s (in-process) or 30 s (the child)
    const row = await register(sw);
    const before = sw.state.displaySet();
    dropOnce(sw, { command: "run show configuration", phase: "after" });
    const runner = await startWorkerRunner({
      connectionString: url,
      deps: { db, secretsKey, openJunosSession, confirmMinutes: 1, switchMinuteMs: 6_000 },
      concurrency: 4,
      logger: silentLogger,
    });
    const child = await startWorkerProcess(url, secretsKey);
    try {
      await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(10)] });
      await expect.poll(() => dirtyOf([row.id]), { timeout: 30_000, interval: 200 }).toBe(0);
      await expect
        .poll(
          async () =>
            (await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where queue_name = ${`switch:${row.id}`}`))[0]!.n,
          { timeout: 15_000 },
        )
        .toBe(0);
    } finally {
      await runner.stop();
      await stopProcess(child);
    }
    const pushes = await pushesOf(row.id);
    expect(pushes.map((p) => p.status)).toEqual(["confirmed-after-reconnect", "unchanged"]);
    expect(sw.state.commits.map((c) => `${c.kind}:${c.comment}`)).toEqual([`confirmed:${pushes[0]!.changeId}`, `commit:${pushes[0]!.changeId}-confirm`]);
    expect(sw.state.maxConcurrentSessions).toBe(1);
    expect(sw.state.isAwaitingConfirmation).toBe(false);
    expect(ipsOn(sw, "ge-0/0/1.0")).toEqual(["10.0.48.10"]);
    expect(withoutBindings(sw.state.displaySet())).toBe(withoutBindings(before));
    const remaining = await db
      .select()
      .from(switchPushes)
      .where(and(eq(switchPushes.switchId, row.id), inArray(switchPushes.status, ["running", "awaiting-confirm"])));
    expect(remaining).toEqual([]);
  }, 60_000);
});
