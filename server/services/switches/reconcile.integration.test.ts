import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { auditLog, switchDirtyPorts, switchPushes, switches } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { startWorkerProcess, stopProcess } from "@/server/testing/worker-process";
import { silentLogger, startWorkerRunner } from "@/workers/runner";
import { countSwitchAlerts } from "./alerts";
import { readBackupText } from "./backups";
import { reconcileSwitch, type ReconcileDeps } from "./reconcile";
import { approveHostKey, createSwitch, setPortBindings } from "./switches";

const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
const deps: ReconcileDeps = { db, secretsKey, openSession: openJunosSession, confirmMinutes: 1, sessionOptions: { commandTimeoutMs: 5_000 } };
let n = 0;

async function labSwitch(): Promise<LabSwitch> {
  const sw = await startLabSwitch({
    name: `rc-${process.pid}-${++n}`,
    dialect: "non-els",
    timeScale: 60,
    initialConfig: "set system host-name lab\nset ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4",
  });
  afterAll(() => sw.close());
  return sw;
}

async function register(sw: LabSwitch, approve = true) {
  const row = await createSwitch(db, secretsKey, admin, { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
  if (approve) {
    await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
  }
  return row;
}

const binding = (i: number) => ({ ip: `10.0.48.${i}`, mac: `02:00:0a:00:30:${i.toString(16).padStart(2, "0")}`, vlan: "VLAN.13" });
const portsOn = (sw: LabSwitch) => parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els").ports;

describe("reconciling a switch", () => {
  it("records the host key on first contact and pushes nothing until an admin approves it", async () => {
    const sw = await labSwitch();
    const row = await register(sw, false);
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1", bindings: [binding(5)] });

    const first = await reconcileSwitch(deps, row.id, "test");
    // Learning the key is not a push: no failed push is shown for it.
    expect(first).toMatchObject({ status: "idle", reason: expect.stringContaining(sw.hostKeyFingerprint) });
    expect(await db.select().from(switchPushes).where(eq(switchPushes.switchId, row.id))).toEqual([]);
    const [recorded] = await db.select().from(switches).where(eq(switches.id, row.id));
    expect(recorded).toMatchObject({ hostKeyState: "unverified", hostKeyFingerprint: sw.hostKeyFingerprint });
    expect(sw.state.commits).toEqual([]);
    // The key was learnt without logging in: no credential went to an unapproved key.
    expect(sw.state.sessionsOpened).toBe(0);
    expect(sw.logins).toBe(0);

    await expect(approveHostKey(db, admin, row.id, "SHA256:forged")).rejects.toMatchObject({ code: "CONFLICT" });
    await approveHostKey(db, admin, row.id, sw.hostKeyFingerprint);
    const second = await reconcileSwitch(deps, row.id, "test");
    expect(second.status).toBe("committed");
    expect(portsOn(sw).get("ge-0/0/1.0")).toHaveLength(1);
    expect(sw.state.displaySet()).toContain("mac-limit 4");
  });

  it("keeps a backup of the configuration from before every change, and audits the change", async () => {
    const sw = await labSwitch();
    const row = await register(sw);
    const before = sw.state.displaySet();
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(6)] });
    const result = await reconcileSwitch(deps, row.id, "test");
    if (result.status === "idle") throw new Error("expected a push");
    expect(await readBackupText(db, secretsKey, result.push.backupId!)).toBe(before);
    const [dialect] = await db.select({ d: switches.dialect }).from(switches).where(eq(switches.id, row.id));
    expect(dialect!.d).toBe("non-els");
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "switch.push"), eq(auditLog.entityId, `${row.id}:ge-0/0/1.0`)));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: "system:reconcile", ticketId: result.push.changeId, before: [] });
    expect(await db.select().from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, row.id))).toEqual([]);
    // The configuration lives only in the sealed backup, not in the stored transcript.
    expect(JSON.stringify(result.push.transcript)).not.toContain("set system host-name lab");
  });

  it("a changed host key stops the push, flags the switch and leaves the port dirty", async () => {
    const sw = await labSwitch();
    const row = await register(sw);
    await sw.replaceHostKey();
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/2.0", bindings: [binding(7)] });
    const result = await reconcileSwitch(deps, row.id, "test");
    expect(result).toMatchObject({ status: "failed", error: { kind: "host-key", isRetryable: false } });
    const [flagged] = await db.select().from(switches).where(eq(switches.id, row.id));
    expect(flagged).toMatchObject({ hostKeyState: "mismatch", hostKeyPresented: sw.hostKeyFingerprint });
    expect((await countSwitchAlerts(db)).hostKeyMismatch).toBe(1);
    expect(sw.state.sessionsOpened).toBe(0);
    expect(await db.select().from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, row.id))).toHaveLength(1);
  });

  it("two worker processes never open two sessions to one switch, and every switch converges", async () => {
    const labs = await Promise.all([labSwitch(), labSwitch(), labSwitch()]);
    for (const sw of labs) sw.setFaults({ commitLatencyMs: 30 });
    const rows = await Promise.all(labs.map((sw) => register(sw)));
    const runnerDeps = { db, secretsKey, openJunosSession, confirmMinutes: 1 };
    // Two worker processes on one database: this one, and `npm run worker` as a child process.
    const runner = await startWorkerRunner({ connectionString: url, deps: runnerDeps, concurrency: 4, logger: silentLogger });
    const child = await startWorkerProcess(url, secretsKey);
    try {
      // A burst: 8 ports per switch, set twice each, while the workers are already running.
      for (let round = 0; round < 2; round++) {
        await Promise.all(
          rows.flatMap((row) =>
            Array.from({ length: 8 }, (_, p) =>
              setPortBindings(db, admin, { switchId: row.id, interface: `ge-0/0/${p + 10}`, bindings: [binding(round * 20 + p + 10)] }),
            ),
          ),
        );
      }
      await expect
        .poll(
          async () =>
            (
              await db
                .select()
                .from(switchDirtyPorts)
                .where(
                  inArray(
                    switchDirtyPorts.switchId,
                    rows.map((r) => r.id),
                  ),
                )
            ).length,
          { timeout: 30_000, interval: 200 },
        )
        .toBe(0);
      await expect
        .poll(
          async () =>
            (await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'reconcile-switch'`))[0]!.n,
          { timeout: 30_000 },
        )
        .toBe(0);
    } finally {
      await runner.stop();
      await stopProcess(child);
    }
    for (const [i, sw] of labs.entries()) {
      expect(sw.state.maxConcurrentSessions).toBe(1);
      const ports = portsOn(sw);
      for (let p = 0; p < 8; p++) expect(ports.get(`ge-0/0/${p + 10}.0`)).toEqual([expect.objectContaining({ ip: `10.0.48.${20 + p + 10}` })]);
      const pushes = await db.select().from(switchPushes).where(eq(switchPushes.switchId, rows[i]!.id));
      expect(pushes.every((p) => p.status !== "failed")).toBe(true);
      // Each committed push left a pre-change backup.
      expect(pushes.filter((p) => p.status === "committed").every((p) => p.backupId !== null)).toBe(true);
    }
  }, 60_000);
});
