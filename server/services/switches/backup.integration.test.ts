import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { setStatement } from "@/lab/junos/config-tree";
import { startLabSwitch, type LabSwitchOptions } from "@/lab/junos/ssh-switch";
import type { LabSwitchLinks } from "@/lab/junos/links";
import { auditLog, panelPorts, switchBackupContents, switchBackups, switches } from "@/drizzle/schema";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { getEdgeMap, getSwitchLinks } from "../edge/edge-map";
import { backupSwitch, pruneBackups } from "./backup-run";
import { readBackupText, storeBackup } from "./backups";
import { diffBackups } from "./backup-views";
import { reconcileSwitch, type ReconcileDeps } from "./reconcile";
import { createSwitch, setPortBindings } from "./switches";

const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);
const deps: ReconcileDeps = { db, secretsKey, openSession: openJunosSession, confirmMinutes: 1 };
const admin = { id: "admin@test.sankofa" };

async function approvedSwitch(name: string, opts: Pick<LabSwitchOptions, "dialect" | "links"> = { dialect: "non-els" }) {
  const sw = await startLabSwitch({ name, timeScale: 60, ...opts });
  afterAll(() => sw.close());
  const row = await createSwitch(db, secretsKey, admin, { name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
  await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
  return { sw, id: row.id };
}

describe("switch backups", () => {
  it("flags a scheduled backup that differs from our last change as a change made by hand", async () => {
    const { sw, id } = await approvedSwitch(`bk-${process.pid}-1`);
    await setPortBindings(db, admin, { switchId: id, interface: "ge-0/0/1", bindings: [{ ip: "10.1.1.1", mac: "02:00:00:00:01:01", vlan: "VLAN.13" }] });
    expect((await reconcileSwitch(deps, id, "test")).status).toBe("committed");
    const reasons = (await db.select().from(switchBackups).where(eq(switchBackups.switchId, id))).map((b) => b.reason);
    expect(reasons.sort()).toEqual(["post-change", "pre-change"]);

    // Unchanged since our change (only the "## Last commit" stamp moved): not a manual change.
    const calm = await backupSwitch(deps, id, "scheduled");
    expect(calm.isManualChange).toBe(false);

    setStatement(sw.state.active, ["system", "host-name", "renamed-by-hand"]);
    const changed = await backupSwitch(deps, id, "scheduled");
    expect(changed.isManualChange).toBe(true);
    expect(await readBackupText(db, secretsKey, changed.id)).toContain("renamed-by-hand");
    const [alert] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "switch.manual_change_detected"), eq(auditLog.entityId, String(id))));
    expect(alert).toBeDefined();
  });

  it("refuses to compare a backup too large for a viewer's request, saying so", async () => {
    const row = await createSwitch(db, secretsKey, admin, { name: `bk-big-${process.pid}`, host: "127.0.0.1", port: 9, username: "sankofa", password: "x" });
    const small = await storeBackup(db, secretsKey, { switchId: row.id, reason: "on-demand", text: "set system host-name a" });
    // A configuration over the diff limit: 5 MiB of interface descriptions.
    const huge = await storeBackup(db, secretsKey, {
      switchId: row.id,
      reason: "on-demand",
      text: Array.from({ length: 80_000 }, (_, i) => `set interfaces ge-0/0/${i % 48} description ${"x".repeat(60)}-${i}`).join("\n"),
    });
    await expect(diffBackups(db, secretsKey, row.id, small.id, huge.id)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("too large to compare"),
    });
    expect(await diffBackups(db, secretsKey, row.id, small.id, small.id)).toContain("backup-");
  });

  it("stores identical configurations once, sealed", async () => {
    const { id } = await approvedSwitch(`bk-${process.pid}-2`);
    const a = await backupSwitch(deps, id, "on-demand");
    const b = await backupSwitch(deps, id, "on-demand");
    expect(b.id).not.toBe(a.id);
    expect(b.sha256).toBe(a.sha256);
    const contents = await db.select().from(switchBackupContents).where(eq(switchBackupContents.sha256, a.sha256));
    expect(contents).toHaveLength(1);
    expect(contents[0]!.sealed.toString("utf8")).not.toContain("host-name");
  });

  it("prunes backups past the retention but keeps each switch's newest ten", async () => {
    const { id } = await approvedSwitch(`bk-${process.pid}-3`);
    for (let i = 0; i < 12; i++) await backupSwitch(deps, id, "on-demand");
    await db.execute(sql`update switch_backups set taken_at = now() - interval '200 days' - (id || ' seconds')::interval where switch_id = ${id}`);
    expect(await pruneBackups(db, 90)).toBeGreaterThanOrEqual(2);
    expect(await db.select().from(switchBackups).where(eq(switchBackups.switchId, id))).toHaveLength(10);
  });

  it("refuses to back up a switch whose host key is not approved", async () => {
    const sw = await startLabSwitch({ name: `bk-${process.pid}-4`, dialect: "non-els" });
    afterAll(() => sw.close());
    const row = await createSwitch(db, secretsKey, admin, { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
    await expect(backupSwitch(deps, row.id, "on-demand")).rejects.toMatchObject({ kind: "host-key" });
    expect(sw.state.sessionsOpened).toBe(0);
  });

  describe("LLDP neighbours and ae membership, read on the backup's session", () => {
    const links: LabSwitchLinks = {
      lldp: [
        { port: "ge-0/0/2", bundle: "ae1", chassisId: "0c:c4:7a:04:00:01", portInfo: "eno1", systemName: "node-a" },
        { port: "ge-0/0/7", chassisId: "aa:bb:cc:02:03:00", portInfo: "aa:bb:cc:02:03:00" },
      ],
      lacp: [{ port: "ge-0/0/3", bundle: "ae1", isUp: false }],
    };

    for (const dialect of ["non-els", "els"] as const) {
      it(`stores them with the backup, from one login (${dialect})`, async () => {
        const { sw, id } = await approvedSwitch(`bk-${process.pid}-links-${dialect}`, { dialect, links });
        const row = await backupSwitch(deps, id, "scheduled");
        expect(sw.logins).toBe(1);
        const [stored] = await db.select().from(switchBackups).where(eq(switchBackups.id, row.id));
        const facts = stored!.linkFacts!;
        expect(facts.lldp).toEqual({
          neighbors: [
            { localPort: "ge-0/0/2", parentBundle: "ae1", chassisId: "0c:c4:7a:04:00:01", portInfo: "eno1", systemName: "node-a" },
            { localPort: "ge-0/0/7", parentBundle: null, chassisId: "aa:bb:cc:02:03:00", portInfo: "aa:bb:cc:02:03:00", systemName: null },
          ],
          problems: [],
        });
        expect("bundles" in facts.lacp && facts.lacp.bundles.map((b) => [b.bundle, b.members.map((m) => [m.port, m.muxState])])).toEqual([
          [
            "ae1",
            [
              ["ge-0/0/2", "Collecting distributing"],
              ["ge-0/0/3", "Detached"],
            ],
          ],
        ]);
        expect("problems" in facts.lacp && facts.lacp.problems).toEqual([]);
      });
    }

    it("still backs up a switch that answers an error for show lldp neighbors, keeping the error beside it", async () => {
      const { sw, id } = await approvedSwitch(`bk-${process.pid}-links-err`, { dialect: "els", links });
      // What an EX with LLDP switched off answers is a guess; any `error:` line is refused the same way.
      sw.setFaults({ commandOutput: { "show lldp neighbors": ["error: the lldp subsystem is not running"] } });
      const row = await backupSwitch(deps, id, "on-demand");
      expect(await readBackupText(db, secretsKey, row.id)).toContain("host-name");
      const [stored] = await db.select().from(switchBackups).where(eq(switchBackups.id, row.id));
      expect(stored!.linkFacts!.lldp).toEqual({ error: expect.stringContaining("the lldp subsystem is not running") });
      // The other read on the same session still went through.
      expect("bundles" in stored!.linkFacts!.lacp && stored!.linkFacts!.lacp.bundles.map((b) => b.bundle)).toEqual(["ae1"]);
      expect(sw.logins).toBe(1);
    });

    it("shows on the switch's links what each neighbour is, and the lines that could not be read", async () => {
      const name = `bk-${process.pid}-links-view`;
      const { sw, id } = await approvedSwitch(name, { dialect: "non-els", links });
      // Tenantos puts server 203 on ge-0/0/7 (a panel-managed port); node-a is no node we know.
      await db.insert(panelPorts).values({ switchId: id, interface: "ge-0/0/7", serverId: 203, kind: "dedicated" });
      sw.setFaults({
        commandOutput: {
          "show lldp neighbors": [
            "Local Interface    Parent Interface    Chassis Id          Port info          System Name",
            "ge-0/0/2.0         ae1.0               0c:c4:7a:04:00:01   eno1               node-a",
            "ge-0/0/7.0         -                   aa:bb:cc:02:03:00   aa:bb:cc:02:03:00",
            "ge-0/0/9.0",
          ],
        },
      });
      await backupSwitch(deps, id, "scheduled");
      const view = await getSwitchLinks(db, id);
      expect(view!.neighbors.map((n) => [n.localPort, n.identity])).toEqual([
        ["ge-0/0/2", { kind: "unknown", name: null }],
        ["ge-0/0/7", { kind: "panel-server", name: "Tenantos server 203" }],
      ]);
      expect(view!.problems).toEqual([expect.stringMatching(/^lldp: line 4 "ge-0\/0\/9.0": expected a local interface/)]);
      expect(view!.bundles.map((b) => b.bundle)).toEqual(["ae1"]);
      expect((await getEdgeMap(db)).findings).toContainEqual(expect.objectContaining({ kind: "lldp-neighbor-unknown", subject: `${name}:ge-0/0/2` }));
    });

    it("keeps the backup when the session drops while reading them", async () => {
      const { sw, id } = await approvedSwitch(`bk-${process.pid}-links-drop`, { dialect: "non-els", links });
      sw.setFaults({ dropAt: { command: "show lldp neighbors", phase: "before" } });
      const row = await backupSwitch(deps, id, "scheduled");
      const [stored] = await db.select().from(switchBackups).where(eq(switchBackups.id, row.id));
      expect(stored!.sha256).toBe(row.sha256);
      expect("error" in stored!.linkFacts!.lldp).toBe(true);
      expect("error" in stored!.linkFacts!.lacp).toBe(true);
    });

    it("keeps the backup when the switch stops answering them, and reads nothing more on that session", async () => {
      const { sw, id } = await approvedSwitch(`bk-${process.pid}-links-stall`, { dialect: "els", links });
      sw.setFaults({ stallAfter: "show lldp neighbors" });
      const row = await backupSwitch({ ...deps, sessionOptions: { commandTimeoutMs: 1_000 } }, id, "scheduled");
      const [stored] = await db.select().from(switchBackups).where(eq(switchBackups.id, row.id));
      expect(stored!.linkFacts).toEqual({
        lldp: { error: expect.stringContaining("no prompt within 1000 ms") },
        lacp: { error: "not read: the session failed during `show lldp neighbors`" },
      });
    });
  });
});
