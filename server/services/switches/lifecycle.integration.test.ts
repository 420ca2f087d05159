import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { auditLog, panelPorts, switchDirtyPorts, switchPortBindings, switches } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { silentLogger, startWorkerRunner } from "@/workers/runner";
import { completeSwitchRemoval, deleteSwitch, rotateSwitchCredentials, setSwitchAutomation, updateSwitch } from "./lifecycle";
import { reconcileSwitch, type ReconcileDeps } from "./reconcile";
import { approveHostKey, createSwitch, setPortBindings } from "./switches";

const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
const deps: ReconcileDeps = { db, secretsKey, openSession: openJunosSession, confirmMinutes: 1, sessionOptions: { commandTimeoutMs: 5_000 } };
let n = 0;

async function labSwitch(opts: { password?: string; initialConfig?: string } = {}): Promise<LabSwitch> {
  const sw = await startLabSwitch({
    name: `lc-${process.pid}-${++n}`,
    dialect: "non-els",
    timeScale: 60,
    password: opts.password,
    initialConfig: opts.initialConfig ?? "set system host-name lab\nset ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4",
  });
  afterAll(() => sw.close());
  return sw;
}

async function register(sw: LabSwitch, opts: { password?: string; approve?: boolean } = {}) {
  const row = await createSwitch(db, secretsKey, admin, {
    name: sw.name,
    host: sw.host,
    port: sw.port,
    username: sw.username,
    password: opts.password ?? sw.password,
  });
  if (opts.approve ?? true)
    await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
  return row;
}

/**
 * A switch row for what needs no SSH. Its first-contact job meets a closed local port, so when the
 * worker of the wipe test picks it up, it fails at once instead of holding a worker until a timeout.
 */
const PAPER = { host: "127.0.0.1", port: 9 };
const paperSwitch = (extra: { tenantosDeviceId?: number } = {}) =>
  createSwitch(db, secretsKey, admin, { name: `paper-${process.pid}-${++n}`, ...PAPER, username: "sankofa", password: "paper-password", ...extra });

const rowOf = async (id: number) => (await db.select().from(switches).where(eq(switches.id, id)))[0];
const auditsOf = (id: number, action: string) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, String(id)), eq(auditLog.action, action)));
const firstContactJobs = async (id: number) =>
  (
    await db.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'reconcile-switch' and key = ${`reconcile:switch:${id}`}`,
    )
  )[0]!.n;
// Create queues the first contact; drop it so a later one can only come from the edit.
const dropReconcileJob = (id: number) => db.execute(sql`select graphile_worker.remove_job(${`reconcile:switch:${id}`})`);

const binding = (i: number) => ({ ip: `10.0.48.${i}`, mac: `02:00:0a:00:30:${i.toString(16).padStart(2, "0")}`, vlan: "VLAN.13" });
const portsOn = (sw: LabSwitch) => parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els").ports;

describe("editing a switch", () => {
  it("keeps the approved host key when the address stays, and learns it again when the address changes", async () => {
    const [a, b] = [await labSwitch(), await labSwitch()];
    const row = await register(a);
    await dropReconcileJob(row.id);

    const same = await updateSwitch(db, admin, row.id, { host: a.host, port: a.port, username: "ops", dhcpSecurityGroup: "grp1" });
    expect(same).toMatchObject({ username: "ops", dhcpSecurityGroup: "grp1", hostKeyState: "approved", hostKeyFingerprint: a.hostKeyFingerprint });
    expect(await firstContactJobs(row.id)).toBe(0);

    // Pointed at another box (b): its key is not a's, so nothing may log in until it is approved.
    await db.update(switches).set({ dialect: "non-els" }).where(eq(switches.id, row.id));
    const moved = await updateSwitch(db, admin, row.id, { host: b.host, port: b.port, username: b.username });
    expect(moved).toMatchObject({ port: b.port, hostKeyState: "unknown", hostKeyFingerprint: null, hostKeyPresented: null, dialect: null });
    expect(await firstContactJobs(row.id)).toBe(1);
    const [audit] = await auditsOf(row.id, "switch.update").then((r) => r.slice(-1));
    expect(audit).toMatchObject({ actor: admin.id, before: { port: a.port, hostKeyState: "approved" }, after: { port: b.port, hostKeyState: "unknown" } });

    const first = await reconcileSwitch(deps, row.id, "first-contact");
    expect(first).toMatchObject({ status: "idle", reason: expect.stringContaining(b.hostKeyFingerprint) });
    expect(await rowOf(row.id)).toMatchObject({ hostKeyState: "unverified", hostKeyFingerprint: b.hostKeyFingerprint });
    expect(b.logins).toBe(0);
  });

  it("names the switch that already holds a Tenantos device id, and can unlink it", async () => {
    const first = await paperSwitch({ tenantosDeviceId: 9001 });
    const second = await paperSwitch({ tenantosDeviceId: 9002 });
    await expect(updateSwitch(db, admin, second.id, { ...PAPER, username: "sankofa", tenantosDeviceId: 9001 })).rejects.toMatchObject({
      code: "CONFLICT",
      field: "tenantosDeviceId",
      message: expect.stringContaining(first.name),
    });
    expect(await rowOf(second.id)).toMatchObject({ tenantosDeviceId: 9002 });
    expect(await updateSwitch(db, admin, second.id, { ...PAPER, username: "sankofa", tenantosDeviceId: null })).toMatchObject({ tenantosDeviceId: null });
    await expect(updateSwitch(db, admin, second.id, { ...PAPER, username: "sankofa", dhcpSecurityGroup: "bad group" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("a changed host key", () => {
  it("is approved only as the fingerprint now presented, audited old against new, and pushes resume", async () => {
    const sw = await labSwitch();
    const row = await register(sw);
    const old = sw.hostKeyFingerprint;
    await sw.replaceHostKey();
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(7)] });
    expect(await reconcileSwitch(deps, row.id, "test")).toMatchObject({ status: "failed", push: { errorKind: "host-key" } });
    expect(await rowOf(row.id)).toMatchObject({ hostKeyState: "mismatch", hostKeyFingerprint: old, hostKeyPresented: sw.hostKeyFingerprint });

    await expect(approveHostKey(db, admin, row.id, old)).rejects.toMatchObject({ code: "CONFLICT", field: "fingerprint" });
    await approveHostKey(db, admin, row.id, sw.hostKeyFingerprint);
    const [audit] = await auditsOf(row.id, "switch.host_key_approve");
    expect(audit).toMatchObject({
      before: { state: "mismatch", fingerprint: old, presented: sw.hostKeyFingerprint },
      after: { state: "approved", fingerprint: sw.hostKeyFingerprint },
    });
    expect((await reconcileSwitch(deps, row.id, "test")).status).toBe("committed");
  });
});

describe("rotating credentials", () => {
  it("a refused password is replaced, the next session logs in with the new one, and no audit row holds either", async () => {
    const right = `right-${process.pid}-pw`;
    const wrong = `wrong-${process.pid}-pw`;
    const sw = await labSwitch({ password: right });
    const row = await register(sw, { password: wrong });
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(5)] });
    const refused = await reconcileSwitch(deps, row.id, "test");
    expect(refused).toMatchObject({ status: "failed", push: { errorKind: "auth" } });
    expect(sw.logins).toBe(0);

    await expect(rotateSwitchCredentials(db, secretsKey, admin, row.id, { password: "", privateKey: "  " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "password",
    });
    await rotateSwitchCredentials(db, secretsKey, admin, row.id, { password: right });
    const pushed = await reconcileSwitch(deps, row.id, "test");
    expect(pushed.status).toBe("committed");
    expect(portsOn(sw).get("ge-0/0/1.0")).toEqual([expect.objectContaining({ ip: "10.0.48.5" })]);

    const [rotation] = await auditsOf(row.id, "switch.credentials_rotate");
    expect(rotation).toMatchObject({ actor: admin.id, after: { changed: ["password"] } });
    const everyAudit = JSON.stringify(await db.select().from(auditLog));
    expect(everyAudit).not.toContain(right);
    expect(everyAudit).not.toContain(wrong);
  });

  it("a blank field keeps the stored credential", async () => {
    const row = await paperSwitch();
    const before = (await rowOf(row.id))!;
    const after = await rotateSwitchCredentials(db, secretsKey, admin, row.id, {
      password: "",
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----",
    });
    expect(after).toMatchObject({ hasPassword: true, hasPrivateKey: true });
    expect(after).not.toHaveProperty("privateKeySealed");
    const stored = (await rowOf(row.id))!;
    expect(stored.passwordSealed!.equals(before.passwordSealed!)).toBe(true);
    const [rotation] = await auditsOf(row.id, "switch.credentials_rotate");
    expect(rotation!.after).toEqual({ changed: ["privateKey"] });
    expect(JSON.stringify(rotation)).not.toContain("not-a-real-key");
  });
});

describe("automation on and off", () => {
  it("stores the flag and audits each change", async () => {
    const row = await paperSwitch();
    expect(row.isAutomationEnabled).toBe(true);
    expect(await setSwitchAutomation(db, admin, row.id, false)).toMatchObject({ isAutomationEnabled: false });
    expect(await rowOf(row.id)).toMatchObject({ isAutomationEnabled: false });
    expect(await auditsOf(row.id, "switch.automation_disable")).toEqual([
      expect.objectContaining({ actor: admin.id, before: { isAutomationEnabled: true }, after: { isAutomationEnabled: false } }),
    ]);
    // Through the API as an admin: the flag comes back on, audited under that admin.
    const person = buildAdmin();
    expect(await callerFor(db, person).switches.setAutomation({ id: row.id, isEnabled: true })).toMatchObject({ isAutomationEnabled: true });
    expect(await rowOf(row.id)).toMatchObject({ isAutomationEnabled: true });
    expect(await auditsOf(row.id, "switch.automation_enable")).toEqual([
      expect.objectContaining({ actor: person.email, after: { isAutomationEnabled: true } }),
    ]);
  });

  it("off: nothing is pushed and the port stays dirty; on again: the waiting change goes out", async () => {
    const sw = await labSwitch();
    const row = await register(sw);
    await setSwitchAutomation(db, admin, row.id, false);
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/4.0", bindings: [binding(44)] });
    expect(await reconcileSwitch(deps, row.id, "test")).toMatchObject({ status: "idle", reason: expect.stringContaining("automation is off") });
    expect(sw.state.sessionsOpened).toBe(0);
    expect(await db.select().from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, row.id))).toHaveLength(1);

    await setSwitchAutomation(db, admin, row.id, true);
    expect((await reconcileSwitch(deps, row.id, "test")).status).toBe("committed");
    expect(
      portsOn(sw)
        .get("ge-0/0/4.0")
        ?.map((b) => b.ip),
    ).toEqual(["10.0.48.44"]);
  });
});

describe("deleting a switch", () => {
  it("leaving the switch as it is: the row and its bindings go in one step, audited without secrets", async () => {
    const row = await paperSwitch();
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/4.0", bindings: [binding(9)] });
    await expect(deleteSwitch(db, admin, { switchId: row.id, mode: "leave-switch", confirmName: "not-its-name" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "confirmName",
    });
    expect(await rowOf(row.id)).toBeDefined();

    expect(await firstContactJobs(row.id)).toBe(1);
    expect(await deleteSwitch(db, admin, { switchId: row.id, mode: "leave-switch", confirmName: row.name })).toEqual({ status: "deleted" });
    expect(await rowOf(row.id)).toBeUndefined();
    // Its waiting jobs went with it.
    expect(await firstContactJobs(row.id)).toBe(0);
    expect(await db.select().from(switchPortBindings).where(eq(switchPortBindings.switchId, row.id))).toEqual([]);
    const [audit] = await auditsOf(row.id, "switch.delete");
    expect(audit).toMatchObject({ actor: admin.id, before: { id: row.id, name: row.name, host: PAPER.host, hasPassword: true } });
    expect(audit!.before).not.toHaveProperty("passwordSealed");
    expect(JSON.stringify(audit)).not.toContain("paper-password");
  });

  it("removing our bindings first: a worker wipes them from the switch, then deletes the row; other settings and foreign bindings stay", async () => {
    const sw = await labSwitch({
      initialConfig: [
        "set system host-name lab",
        "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4",
        // Pushed earlier for a panel-managed port.
        "set ethernet-switching-options secure-access-port interface ge-0/0/2.0 static-ip 10.0.48.20 vlan VLAN.13 mac 02:00:0a:00:30:14",
        // Not ours: no row of ours names this port.
        "set ethernet-switching-options secure-access-port interface ge-0/0/3.0 static-ip 10.0.48.30 vlan VLAN.13 mac 02:00:0a:00:30:1e",
      ].join("\n"),
    });
    const row = await register(sw);
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1.0", bindings: [binding(5)] });
    expect((await reconcileSwitch(deps, row.id, "test")).status).toBe("committed");
    await db.insert(panelPorts).values({ switchId: row.id, interface: "ge-0/0/2.0", serverId: 501, kind: "dedicated" });
    expect([...portsOn(sw).keys()].sort()).toEqual(["ge-0/0/1.0", "ge-0/0/2.0", "ge-0/0/3.0"]);

    const runner = await startWorkerRunner({
      connectionString: url,
      deps: { db, secretsKey, openJunosSession, confirmMinutes: 1 },
      concurrency: 2,
      logger: silentLogger,
    });
    try {
      const requested = await deleteSwitch(db, admin, { switchId: row.id, mode: "remove-bindings", confirmName: row.name });
      expect(requested).toMatchObject({ status: "removal-queued", ports: ["ge-0/0/1.0", "ge-0/0/2.0"] });
      await expect.poll(() => rowOf(row.id), { timeout: 30_000, interval: 200 }).toBeUndefined();
    } finally {
      await runner.stop();
    }
    const ports = portsOn(sw);
    expect(ports.get("ge-0/0/1.0") ?? []).toEqual([]);
    expect(ports.get("ge-0/0/2.0") ?? []).toEqual([]);
    expect(ports.get("ge-0/0/3.0")).toEqual([expect.objectContaining({ ip: "10.0.48.30" })]);
    expect(sw.state.displaySet()).toContain("interface ge-0/0/1.0 mac-limit 4");
    expect(sw.state.isAwaitingConfirmation).toBe(false);
    expect(await db.select().from(panelPorts).where(eq(panelPorts.switchId, row.id))).toEqual([]);
    const leftJobs = await db.execute<{ key: string }>(sql`select key from graphile_worker.jobs where queue_name = ${`switch:${row.id}`}`);
    expect([...leftJobs]).toEqual([]);
    expect(await auditsOf(row.id, "switch.delete_requested")).toEqual([
      expect.objectContaining({ actor: admin.id, after: expect.objectContaining({ portsToWipe: ["ge-0/0/1.0", "ge-0/0/2.0"] }) }),
    ]);
    expect(await auditsOf(row.id, "switch.delete")).toEqual([
      expect.objectContaining({ actor: "system:remove-switch", after: { mode: "remove-bindings", requestedBy: admin.id } }),
    ]);
  }, 60_000);

  it("the removal leaves the switch in place while the wipe has not succeeded", async () => {
    const sw = await labSwitch();
    const row = await register(sw);
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/6.0", bindings: [binding(11)] });
    await deleteSwitch(db, admin, { switchId: row.id, mode: "remove-bindings", confirmName: row.name });
    // No worker: the wipe has not been pushed, so the port is still dirty.
    await expect(completeSwitchRemoval(db, row.id, admin.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/wipe of its bindings has not succeeded yet.*ge-0\/0\/6\.0/),
    });
    expect(await rowOf(row.id)).toBeDefined();
    expect(await db.select().from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, row.id))).toHaveLength(1);
    expect(await auditsOf(row.id, "switch.delete")).toEqual([]);
    const [job] = await db.execute<{ queue_name: string; max_attempts: number; run_at: Date }>(
      sql`select queue_name, max_attempts, run_at from graphile_worker.jobs where task_identifier = 'remove-switch' and key = ${`remove-switch:${row.id}`}`,
    );
    expect(job).toMatchObject({ queue_name: `switch:${row.id}`, max_attempts: 5 });
  });

  it("refuses to queue a wipe that cannot be pushed (host key not approved, automation off)", async () => {
    const sw = await labSwitch();
    const unapproved = await register(sw, { approve: false });
    await expect(deleteSwitch(db, admin, { switchId: unapproved.id, mode: "remove-bindings", confirmName: unapproved.name })).rejects.toMatchObject({
      code: "CONFLICT",
      field: "mode",
    });
    const paused = await paperSwitch();
    await db.update(switches).set({ hostKeyState: "approved", hostKeyFingerprint: sw.hostKeyFingerprint }).where(eq(switches.id, paused.id));
    await setSwitchAutomation(db, admin, paused.id, false);
    await expect(deleteSwitch(db, admin, { switchId: paused.id, mode: "remove-bindings", confirmName: paused.name })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("automation is off"),
    });
    expect(await rowOf(unapproved.id)).toBeDefined();
    expect(await rowOf(paused.id)).toBeDefined();
  });
});

describe("who may", () => {
  it("viewers are refused every lifecycle change, and nothing changes", async () => {
    const row = await paperSwitch();
    const viewer = callerFor(db, buildViewer());
    await expect(viewer.switches.update({ id: row.id, host: "192.0.2.99", port: 22, username: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.switches.rotateCredentials({ id: row.id, password: "viewer-guess" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.switches.setAutomation({ id: row.id, isEnabled: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.switches.delete({ id: row.id, mode: "leave-switch", confirmName: row.name })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const after = (await rowOf(row.id))!;
    expect(after).toMatchObject({ host: PAPER.host, isAutomationEnabled: true });
    expect(
      await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityId, String(row.id))),
    ).toHaveLength(1);
  });
});
