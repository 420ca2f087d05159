import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoProxmoxWorld, buildDemoTenantosWorld, DEMO_SWITCHES } from "@/lab/demo-world";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { auditLog, switchDirtyPorts, switches, vmacs } from "@/drizzle/schema";
import { parseBinding } from "@/lib/junos/bindings";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createOutsideSystems } from "@/server/connectors/outside-systems";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { createAuditSwitchDriftTask } from "@/workers/tasks/audit-switch-drift";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { findServerPorts, rememberServerPorts } from "../port-security/tenantos-routing";
import { updateSettings } from "../platform/settings";
import { countSwitchAlerts } from "./alerts";
import { auditSwitchDrift, requestDriftRepair } from "./drift";
import { reconcileSwitch } from "./reconcile";
import { readLatestBindings } from "../port-state/latest-bindings";
import { backupSwitch } from "./backup-run";
import { listBackups } from "./backups";
import { createSwitch, setPortBindings } from "./switches";

const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
let ex4200: LabSwitch;
let ex3400: LabSwitch;
let tenantos: LabTenantos;
let pve: LabProxmox;
let panel: OutsideSystems;
const ids: Record<"ex4200" | "ex3400", number> = { ex4200: 0, ex3400: 0 };

beforeAll(async () => {
  ex4200 = await startLabSwitch({ name: `dm-4200-${process.pid}`, dialect: "non-els", timeScale: 60 });
  ex3400 = await startLabSwitch({
    name: `dm-3400-${process.pid}`,
    dialect: "els",
    timeScale: 60,
    initialConfig: "set vlans VLAN.11 vlan-id 11\nset vlans VLAN.13 vlan-id 13",
  });
  tenantos = await startLabTenantos({ world: buildDemoTenantosWorld({ ex4200: ex4200.host, ex3400: ex3400.host }) });
  pve = await startLabProxmox({ world: buildDemoProxmoxWorld() });
  for (const [name, sw, ref] of [
    ["ex4200", ex4200, DEMO_SWITCHES.ex4200],
    ["ex3400", ex3400, DEMO_SWITCHES.ex3400],
  ] as const) {
    const row = await createSwitch(db, secretsKey, admin, {
      name: sw.name,
      host: sw.host,
      port: sw.port,
      username: sw.username,
      password: sw.password,
      tenantosDeviceId: ref.tenantosDeviceId,
    });
    // No dialect stored: the first session that logs in detects it.
    await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
    ids[name] = row.id;
  }
  // As an approval queues one: a first backup tells each switch's VLAN names.
  for (const id of Object.values(ids)) await backupSwitch({ db, secretsKey, openSession: openJunosSession }, id, "on-demand");
  await db.delete(switchDirtyPorts);
  // Server 201's additional IP binds on its VMAC.
  await db.insert(vmacs).values({ ip: "10.13.0.22", mac: "02:00:0a:0d:00:16", serverId: 201 });
  panel = createOutsideSystems({
    tenantos: { baseUrl: tenantos.url, apiKey: tenantos.apiKey },
    proxmox: { baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret },
    untaggedVlanId: 11,
  })!;
});
afterAll(async () => {
  await Promise.all([ex4200?.close(), ex3400?.close(), tenantos?.close(), pve?.close()]);
});

const deps = () => ({ db, secretsKey, openSession: openJunosSession, confirmMinutes: 1, panel });
const b = (ip: string, mac: string, vlan = "VLAN.13") => parseBinding({ ip, mac, vlan });

/** A person at the switch: their own SSH session, configure, change, commit. */
async function editByHand(sw: LabSwitch, commands: string[]): Promise<void> {
  const s = await openJunosSession({ host: sw.host, port: sw.port, username: sw.username, password: sw.password, hostKeyFingerprint: sw.hostKeyFingerprint });
  try {
    await s.run("configure");
    for (const c of commands) {
      // A delete that matches nothing only warns on Junos: the edit would silently not happen.
      if (/statement not found/.test(await s.run(c))) throw new Error(`nothing to change: ${c}`);
    }
    await s.run("commit");
    await s.run("exit");
  } finally {
    await s.close();
  }
}

async function rememberPanelPort(serverId: number): Promise<string> {
  const found = await findServerPorts(db, panel, serverId);
  if (!found.isFound) throw new Error(found.reason);
  await db.transaction((tx) => rememberServerPorts(tx, found));
  return found.ports[0]!.interface;
}

const dirtyPorts = async (switchId: number) =>
  (await db.select({ i: switchDirtyPorts.interface }).from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, switchId))).map((r) => r.i).sort();
const reconcileJobs = async (switchId: number) =>
  Number(
    (
      await db.execute<{ n: string }>(
        sql`select count(*) as n from graphile_worker.jobs where task_identifier = 'reconcile-switch' and queue_name = ${`switch:${switchId}`}`,
      )
    )[0]!.n,
  );
const dropReconcileJobs = (switchId: number) => db.execute(sql`select graphile_worker.remove_job(${`reconcile:switch:${switchId}`})`);

describe("drift on the ports we manage, manual and panel", () => {
  it("the audit detects the switch's dialect on its own session and stores it; drift on a port we do not manage raises no alert", async () => {
    expect(await auditSwitchDrift(deps(), ids.ex3400)).toEqual([]);
    const [row] = await db.select({ dialect: switches.dialect }).from(switches).where(eq(switches.id, ids.ex3400));
    expect(row!.dialect).toBe("els");

    await editByHand(ex3400, [
      "set vlans VLAN.13 forwarding-options dhcp-security group sankofa interface ge-0/0/20.0 static-ip 10.13.0.120 mac 02:00:0a:0d:00:78",
    ]);
    expect(await auditSwitchDrift(deps(), ids.ex3400)).toEqual([
      { interface: "ge-0/0/20.0", missing: [], extra: [b("10.13.0.120", "02:00:0a:0d:00:78")], isManaged: false },
    ]);
    // Informational only: nobody manages that port, so there is nothing to repair.
    expect((await countSwitchAlerts(db)).drifted).toBe(0);
    await expect(requestDriftRepair(db, admin, ids.ex3400)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("pushed and untouched, panel and manual ports are in sync; edited by hand, each is reported with exactly its missing and extra bindings", async () => {
    const p201 = await rememberPanelPort(201);
    const p202 = await rememberPanelPort(202);
    expect([p201, p202]).toEqual(["ge-0/0/5.0", "ge-0/0/6.0"]);
    await setPortBindings(db, admin, {
      switchId: ids.ex4200,
      interface: "ge-0/0/1",
      bindings: [{ ip: "10.13.0.101", mac: "02:00:0a:0d:00:65", vlan: "VLAN.13" }],
    });
    await db
      .insert(switchDirtyPorts)
      .values([p201, p202].map((i) => ({ switchId: ids.ex4200, interface: i })))
      .onConflictDoNothing();
    expect(await reconcileSwitch(deps(), ids.ex4200, "test")).toMatchObject({ status: "committed" });

    // The panel's ports are ours: not "extra" on a port we do not manage.
    expect(await auditSwitchDrift(deps(), ids.ex4200)).toEqual([]);
    expect((await countSwitchAlerts(db)).drifted).toBe(0);

    await editByHand(ex4200, [
      "delete ethernet-switching-options secure-access-port interface ge-0/0/5.0 static-ip 10.13.0.22",
      "set ethernet-switching-options secure-access-port interface ge-0/0/5.0 static-ip 10.13.0.99 vlan VLAN.13 mac 02:00:0a:0d:00:63",
      "delete ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.13.0.101",
      "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.13.0.102 vlan VLAN.13 mac 02:00:0a:0d:00:66",
    ]);
    const drift = await auditSwitchDrift(deps(), ids.ex4200);
    expect(drift).toEqual([
      {
        interface: "ge-0/0/1.0",
        missing: [b("10.13.0.101", "02:00:0a:0d:00:65")],
        extra: [b("10.13.0.102", "02:00:0a:0d:00:66")],
        isManaged: true,
        source: "manual",
      },
      {
        interface: "ge-0/0/5.0",
        missing: [b("10.13.0.22", "02:00:0a:0d:00:16")],
        extra: [b("10.13.0.99", "02:00:0a:0d:00:63")],
        isManaged: true,
        source: "panel",
      },
    ]);
    expect((await countSwitchAlerts(db)).drifted).toBe(1);
    // Auto-repair is off by default: the audit changed nothing and queued nothing.
    expect(await dirtyPorts(ids.ex4200)).toEqual([]);
  });

  it("a panel port whose facts cannot be read is reported with its reason, not as drift", async () => {
    const down = createOutsideSystems({ tenantos: { baseUrl: "http://127.0.0.1:9", apiKey: "k" }, untaggedVlanId: 11 })!;
    for (const p of [down, undefined]) {
      const drift = await auditSwitchDrift({ ...deps(), panel: p }, ids.ex4200);
      expect(drift!.map((d) => [d.interface, d.missing.length, d.extra.length, d.isManaged, Boolean(d.unknownReason)])).toEqual([
        ["ge-0/0/1.0", 1, 1, true, false],
        ["ge-0/0/5.0", 0, 0, true, true],
        ["ge-0/0/6.0", 0, 0, true, true],
      ]);
      expect(drift!.find((d) => d.interface === "ge-0/0/6.0")!.unknownReason).toMatch(p ? /cannot be read/ : /Tenantos is not configured/);
    }
  });

  it("Repair marks exactly the drifted managed ports dirty and queues the run (audited); the run clears the drift", async () => {
    await expect(callerFor(db, buildViewer()).switches.repairDrift({ id: ids.ex4200 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await auditSwitchDrift(deps(), ids.ex4200);
    await dropReconcileJobs(ids.ex4200);
    const { ports, jobId } = await requestDriftRepair(db, admin, ids.ex4200);
    expect(ports).toEqual(["ge-0/0/1.0", "ge-0/0/5.0"]);
    expect(jobId).toBeGreaterThan(0);
    expect(await dirtyPorts(ids.ex4200)).toEqual(["ge-0/0/1.0", "ge-0/0/5.0"]);
    expect(await reconcileJobs(ids.ex4200)).toBe(1);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "switch.drift_repair"), eq(auditLog.entityId, String(ids.ex4200))));
    expect(audits.map((a) => [a.actor, a.after])).toEqual([[admin.id, { ports, jobId, mode: "manual" }]]);

    expect(await reconcileSwitch(deps(), ids.ex4200, "test")).toMatchObject({ status: "committed" });
    expect(await auditSwitchDrift(deps(), ids.ex4200)).toEqual([]);
    expect(await dirtyPorts(ids.ex4200)).toEqual([]);
    expect((await countSwitchAlerts(db)).drifted).toBe(0);
  });

  it("with auto-repair on, the audit itself queues the repair of what drifted (audited as system)", async () => {
    await updateSettings(db, admin, { isDriftAutoRepairOn: "on" });
    await editByHand(ex4200, ["delete ethernet-switching-options secure-access-port interface ge-0/0/6.0 static-ip 10.13.0.31"]);
    await dropReconcileJobs(ids.ex4200);
    const task = createAuditSwitchDriftTask({ db, secretsKey, openJunosSession, panel: async () => panel });
    await task({ switchId: ids.ex4200 }, {} as never);
    expect(await dirtyPorts(ids.ex4200)).toEqual(["ge-0/0/6.0"]);
    expect(await reconcileJobs(ids.ex4200)).toBe(1);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "switch.drift_repair"), eq(auditLog.actor, "system:drift-audit")));
    expect(audit!.after).toMatchObject({ ports: ["ge-0/0/6.0"], mode: "auto" });

    expect(await reconcileSwitch(deps(), ids.ex4200, "test")).toMatchObject({ status: "committed" });
    expect(await auditSwitchDrift(deps(), ids.ex4200)).toEqual([]);
    expect(await dirtyPorts(ids.ex4200)).toEqual([]);
  });

  it("the latest backup of every switch, read at once, is the newest one, parsed in the switch's dialect", async () => {
    const all = await readLatestBindings(db, secretsKey);
    const [newest] = await listBackups(db, ids.ex4200, 1);
    expect(all.get(ids.ex4200)).toMatchObject({ backupId: newest!.id, takenAt: newest!.takenAt });
    expect(
      all
        .get(ids.ex4200)!
        .parsed!.ports.get("ge-0/0/5.0")!
        .map((x) => x.ip),
    ).toEqual(["10.13.0.21", "10.13.0.22"]);
    expect(all.get(ids.ex4200)!.definedVlans.has("VLAN.13")).toBe(true);
    // Asked for one switch, only that one; a switch with no backup has no entry rather than an empty one.
    expect([...(await readLatestBindings(db, secretsKey, [ids.ex3400])).keys()]).toEqual([ids.ex3400]);
    expect([...(await readLatestBindings(db, secretsKey, [ids.ex3400 + 1000])).keys()]).toEqual([]);
  });
});
