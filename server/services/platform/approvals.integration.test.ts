import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, switchPortBindings, switches, vmacs } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { decideApproval, requestPortBindings, requestSettingsUpdate, requestVmacRelease } from "./approvals";
import { getSettings, updateSettings } from "./settings";
import { storeBackup } from "../switches/backups";
import { createSwitch } from "../switches/switches";
import { createVmac } from "../port-security/vmacs";

const { db } = await createTestDatabase();
const key = randomBytes(32);
const alice = { id: "alice@test.sankofa" };
const bob = { id: "bob@test.sankofa" };
const bindingsOf = async (switchId: number) =>
  ((
    await db
      .select()
      .from(switchPortBindings)
      .where(and(eq(switchPortBindings.switchId, switchId), eq(switchPortBindings.interface, "ge-0/0/4.0")))
  )[0]?.bindings ?? []) as Array<{ ip: string }>;

describe("second admin for destructive changes", () => {
  it("applies additions at once, holds removals until another admin approves, and records both", async () => {
    const sw = await createSwitch(db, key, alice, { name: `ap-${process.pid}`, host: "127.0.0.1", port: 22, username: "sankofa", password: "x" });
    const two = [
      { ip: "10.0.48.40", mac: "02:00:0a:00:30:28", vlan: "VLAN.13" },
      { ip: "10.0.48.41", mac: "02:00:0a:00:30:29", vlan: "VLAN.13" },
    ];
    expect(await requestPortBindings(db, key, alice, { switchId: sw.id, interface: "ge-0/0/4", bindings: two })).toMatchObject({ status: "applied" });

    const removal = await requestPortBindings(db, key, alice, { switchId: sw.id, interface: "ge-0/0/4", bindings: [two[0]!], ticketId: "OPS-7" });
    expect(removal).toMatchObject({ status: "pending", summary: expect.stringContaining("remove 10.0.48.41 02:00:0a:00:30:29") });
    expect((await bindingsOf(sw.id)).map((b) => b.ip)).toEqual(["10.0.48.40", "10.0.48.41"]);

    const id = removal.status === "pending" ? removal.approvalId : 0;
    await expect(decideApproval(db, alice, id, "approve")).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await decideApproval(db, bob, id, "approve")).toMatchObject({ status: "applied", decidedBy: bob.id });
    expect((await bindingsOf(sw.id)).map((b) => b.ip)).toEqual(["10.0.48.40"]);
    await expect(decideApproval(db, bob, id, "approve")).rejects.toMatchObject({ code: "CONFLICT" });
    const actions = (await db.select({ action: auditLog.action }).from(auditLog)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["approval.requested", "approval.approved", "switch.port_bindings"]));
  });

  it("an empty list for a port the database does not know, but the switch holds bindings on, waits for a second admin", async () => {
    const sw = await createSwitch(db, key, alice, { name: `ap2-${process.pid}`, host: "127.0.0.1", port: 22, username: "sankofa", password: "x" });
    await db.update(switches).set({ dialect: "non-els" }).where(eq(switches.id, sw.id));
    // What the switch holds, as its latest backup shows it: a binding nobody entered here.
    await storeBackup(db, key, {
      switchId: sw.id,
      reason: "scheduled",
      text: "set ethernet-switching-options secure-access-port interface ge-0/0/9.0 static-ip 10.0.48.90 vlan VLAN.13 mac 02:00:0a:00:30:5a",
    });
    const wipe = await requestPortBindings(db, key, alice, { switchId: sw.id, interface: "ge-0/0/9", bindings: [] });
    expect(wipe).toMatchObject({ status: "pending", summary: expect.stringContaining("10.0.48.90") });
    await decideApproval(db, bob, wipe.status === "pending" ? wipe.approvalId : 0, "reject");
    // A port the switch holds nothing on is not a removal.
    expect(await requestPortBindings(db, key, alice, { switchId: sw.id, interface: "ge-0/0/10", bindings: [] })).toMatchObject({ status: "applied" });
  });

  it("a settings change that weakens safety waits for a second admin; other changes apply at once", async () => {
    const asked = await requestSettingsUpdate(db, alice, { vlanAllowlist: "11, 13", backupSchedule: "0 2 * * *" }, "OPS-9");
    expect(asked).toMatchObject({ status: "pending", summary: expect.stringContaining("settings: vlanAllowlist from every VLAN to 11, 13") });
    expect((await getSettings(db)).vlanAllowlist).toEqual([]);
    // Harmless changes are not held.
    expect(await requestSettingsUpdate(db, alice, { backupSchedule: "0 5 * * *" })).toMatchObject({
      status: "applied",
      settings: { backupSchedule: "0 5 * * *" },
    });
    await expect(decideApproval(db, alice, asked.status === "pending" ? asked.approvalId : 0, "approve")).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The schedule it asked for moved meanwhile: approving shows the new difference and applies nothing.
    const reasked = await decideApproval(db, bob, asked.status === "pending" ? asked.approvalId : 0, "approve");
    expect(reasked.reasked?.lines).toContain("settings: backupSchedule from 0 5 * * * to 0 2 * * *");
    expect(await getSettings(db)).toMatchObject({ vlanAllowlist: [], backupSchedule: "0 5 * * *" });
    await decideApproval(db, bob, asked.status === "pending" ? asked.approvalId : 0, "approve", { seenDigest: reasked.reasked!.digest });
    expect(await getSettings(db)).toMatchObject({ vlanAllowlist: [11, 13], backupSchedule: "0 2 * * *" });
    // Turning the rule itself off is held too; then reset for the next test.
    const off = await requestSettingsUpdate(db, alice, { isSecondApprovalRequired: "off", vlanAllowlist: "" });
    expect(off).toMatchObject({ status: "pending", summary: expect.stringContaining("settings: isSecondApprovalRequired from on to off") });
    await decideApproval(db, bob, off.status === "pending" ? off.approvalId : 0, "approve");
    await updateSettings(db, alice, { isSecondApprovalRequired: "required" });
  });

  it("holds a VMAC release the same way; a rejection changes nothing; the setting turns it off", async () => {
    await createVmac(db, alice, { ip: "10.0.49.9", serverId: 9 });
    const asked = await requestVmacRelease(db, alice, "10.0.49.9", { secretsKey: key });
    expect(asked.status).toBe("pending");
    await decideApproval(db, bob, asked.status === "pending" ? asked.approvalId : 0, "reject");
    expect((await db.select().from(vmacs).where(eq(vmacs.ip, "10.0.49.9")))[0]!.releasedAt).toBeNull();

    await updateSettings(db, alice, { isSecondApprovalRequired: "off" });
    expect(await requestVmacRelease(db, alice, "10.0.49.9")).toEqual({ status: "applied" });
    expect((await db.select().from(vmacs).where(eq(vmacs.ip, "10.0.49.9")))[0]!.releasedAt).not.toBeNull();
    const pending = await db.execute<{ n: number }>(sql`select count(*)::int as n from pending_changes where status = 'pending'`);
    expect(pending[0]!.n).toBe(0);
  });
});
