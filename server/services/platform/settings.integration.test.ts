import { and, desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, settings } from "@/drizzle/schema";
import { defaultSettings } from "@/lib/settings/schema";
import { createTestDatabase } from "@/server/testing/database";
import { updateSettings } from "./settings";
import { buildAdmin, buildClientAdmin, buildViewer, callerFor } from "@/server/testing/factories";

const { db } = await createTestDatabase();

async function auditCount() {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(eq(auditLog.action, "settings.update"));
  return row!.n;
}

describe("settings", () => {
  it("starts from defaults", async () => {
    expect(await callerFor(db, buildViewer()).settings.get()).toEqual(defaultSettings);
  });

  it("an admin's change is stored and audited with before, after and ticket", async () => {
    // These tests are about storing settings; the second approval (approvals.integration.test.ts) is off here.
    await updateSettings(db, { id: "setup" }, { isSecondApprovalRequired: "off" });
    const admin = buildAdmin();
    const result = await callerFor(db, admin).settings.update({ vlanAllowlist: "14, 13", backupSchedule: "30 2 * * *", ticketId: "OPS-7" });
    expect(result).toEqual({
      status: "applied",
      settings: { ...defaultSettings, isSecondApprovalRequired: false, vlanAllowlist: [13, 14], backupSchedule: "30 2 * * *" },
    });
    expect(await callerFor(db, buildViewer()).settings.get()).toEqual(result.status === "applied" ? result.settings : null);

    const rows = await db.select().from(auditLog).where(eq(auditLog.actor, admin.email)).orderBy(desc(auditLog.id));
    const allowlistRow = rows.find((r) => r.entityId === "vlanAllowlist");
    expect(allowlistRow).toMatchObject({ action: "settings.update", entityType: "setting", before: [], after: [13, 14], ticketId: "OPS-7" });
    expect(rows.find((r) => r.entityId === "backupSchedule")).toMatchObject({ before: "0 3 * * *", after: "30 2 * * *" });
  });

  it("an unchanged save writes nothing", async () => {
    const before = await auditCount();
    await callerFor(db, buildAdmin()).settings.update({ vlanAllowlist: "13,14" });
    expect(await auditCount()).toBe(before);
  });

  it("rejects a bad allowlist naming the bad token, and changes nothing", async () => {
    const before = { settings: await db.select().from(settings), audits: await auditCount() };
    await expect(callerFor(db, buildAdmin()).settings.update({ vlanAllowlist: "13, 4095", backupSchedule: "0 1 * * *" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('"4095"'),
    });
    await expect(callerFor(db, buildAdmin()).settings.update({ vlanAllowlist: "13; 14" })).rejects.toThrow('"13; 14" is not a VLAN ID');
    await expect(callerFor(db, buildAdmin()).settings.update({ backupSchedule: "every day" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.select().from(settings)).toEqual(before.settings);
    expect(await auditCount()).toBe(before.audits);
  });

  it("keeps viewers, client admins and strangers out", async () => {
    await expect(callerFor(db, buildViewer()).settings.update({ vlanAllowlist: "99" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(db, buildClientAdmin()).settings.get()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(db, null).settings.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await callerFor(db, buildViewer()).settings.get()).vlanAllowlist).toEqual([13, 14]);
    const denied = await db.select().from(auditLog).where(eq(auditLog.action, "auth.access_denied"));
    expect(denied.map((d) => (d.after as { path: string }).path)).toEqual(expect.arrayContaining(["settings.update", "settings.get"]));
  });

  it("writes one access-denied row per user and procedure a minute, however often it is tried", async () => {
    const viewer = buildViewer();
    for (let i = 0; i < 5; i++) await expect(callerFor(db, viewer).switches.applyAll()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.access_denied"), eq(auditLog.actor, viewer.email)));
    expect(rows.map((r) => (r.after as { path: string }).path)).toEqual(["switches.applyAll"]);
  });

  it("rolls the change back when its audit row cannot be written", async () => {
    await db.execute(sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`);
    await db.execute(sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`);
    try {
      await expect(callerFor(db, buildAdmin()).settings.update({ vlanAllowlist: "200" })).rejects.toThrow();
    } finally {
      await db.execute(sql`drop trigger refuse_audit on audit_log`);
    }
    expect((await callerFor(db, buildViewer()).settings.get()).vlanAllowlist).toEqual([13, 14]);
  });
});
