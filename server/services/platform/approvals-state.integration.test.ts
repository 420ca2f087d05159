import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, pendingChanges, switchPortBindings } from "@/drizzle/schema";
import { BREAK_GLASS_ISSUER } from "@/lib/approvals/duties";
import { ROLES } from "@/lib/auth/roles";
import { createTestDatabase } from "@/server/testing/database";
import { buildUser, callerFor } from "@/server/testing/factories";
import { decideApproval, listApprovals, requestPortBindings, requestSettingsUpdate, type PendingOutcome } from "./approvals";
import { getSettings, updateSettings } from "./settings";
import { createSwitch } from "../switches/switches";
import type { Actor } from "./audit";

const { db } = await createTestDatabase();
const key = Buffer.from(randomBytes(32));
const deps = { secretsKey: key };
const IDP = "https://idp.test.sankofa/realms/sankofa";
// Three admins, as measured: B asks, A edits meanwhile, C approves.
const person = (name: string): Actor => ({ id: `${name}@test.sankofa`, issuer: IDP, subject: `sub-${name}`, roles: [ROLES.admin] });
const a = person("a");
const b = person("b");
const c = person("c");
const breakGlass: Actor = { id: "root@test.sankofa", issuer: BREAK_GLASS_ISSUER, subject: "root@test.sankofa", isBreakGlass: true, roles: [ROLES.admin] };
const pending = (o: unknown) => o as PendingOutcome;
const bind = (last: number) => ({ ip: `10.0.48.${last}`, mac: `02:00:0a:00:30:${last.toString(16).padStart(2, "0")}`, vlan: "VLAN.13" });
let n = 0;
const newSwitch = async () => createSwitch(db, key, a, { name: `as-${process.pid}-${++n}`, host: "127.0.0.1", port: 22, username: "sankofa", password: "x" });
const portIps = async (switchId: number, iface = "ge-0/0/4.0") =>
  (
    ((
      await db
        .select()
        .from(switchPortBindings)
        .where(and(eq(switchPortBindings.switchId, switchId), eq(switchPortBindings.interface, iface)))
    )[0]?.bindings ?? []) as Array<{ ip: string }>
  )
    .map((x) => x.ip)
    .sort();
const auditOf = async (id: number) =>
  (
    await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "pending_change"), eq(auditLog.entityId, String(id))))
      .orderBy(auditLog.id)
  ).map((r) => ({
    action: r.action,
    actor: r.actor,
    after: r.after,
  }));

describe("approvals approve what is shown", () => {
  it("a binding removal approved after another admin added a binding: asked again with the new difference, and the addition stays", async () => {
    const sw = await newSwitch();
    await requestPortBindings(db, key, a, { switchId: sw.id, interface: "ge-0/0/4", bindings: [bind(201), bind(202)] });
    // B removes .202 …
    const asked = pending(await requestPortBindings(db, key, b, { switchId: sw.id, interface: "ge-0/0/4", bindings: [bind(201)] }));
    expect(asked.status).toBe("pending");
    expect(asked.summary).toContain("remove 10.0.48.202");
    // … A then adds .203 (an addition: applied at once) …
    expect(await requestPortBindings(db, key, a, { switchId: sw.id, interface: "ge-0/0/4", bindings: [bind(201), bind(202), bind(203)] })).toMatchObject({
      status: "applied",
    });
    // … C approves what B's request showed: the state moved, so nothing is applied and C sees what it does now.
    const first = await decideApproval(db, c, asked.approvalId, "approve", { deps, seenDigest: asked.digest });
    expect(first.status).toBe("pending");
    expect(first.reasked!.lines).toEqual([
      `${sw.name} ge-0/0/4.0: remove 10.0.48.202 02:00:0a:00:30:ca VLAN.13`,
      `${sw.name} ge-0/0/4.0: keeps 10.0.48.201 02:00:0a:00:30:c9 VLAN.13, 10.0.48.203 02:00:0a:00:30:cb VLAN.13`,
    ]);
    expect(await portIps(sw.id)).toEqual(["10.0.48.201", "10.0.48.202", "10.0.48.203"]);
    // The queue shows the same new difference.
    const view = (await listApprovals(db, "pending", deps)).find((r) => r.id === asked.approvalId)!;
    expect(view.now).toMatchObject({ lines: first.reasked!.lines, digest: first.reasked!.digest });
    // Approving what is now shown removes .202 only: .203, added meanwhile, is not reverted.
    expect(await decideApproval(db, c, asked.approvalId, "approve", { deps, seenDigest: first.reasked!.digest })).toMatchObject({ status: "applied" });
    expect(await portIps(sw.id)).toEqual(["10.0.48.201", "10.0.48.203"]);
    expect((await auditOf(asked.approvalId)).map((r) => r.action)).toEqual(["approval.requested", "approval.reasked", "approval.approved"]);
  });

  it("a settings request changes only the keys it changed: another setting saved meanwhile is not put back", async () => {
    // The form carries every field, the retention as it was (90) among them.
    const asked = pending(await requestSettingsUpdate(db, b, { vlanAllowlist: "13, 20", backupRetentionDays: "90", backupSchedule: "0 3 * * *" }));
    expect(asked.summary).toBe("settings: vlanAllowlist from every VLAN to 13, 20");
    await updateSettings(db, a, { backupRetentionDays: "45" });
    expect(await decideApproval(db, c, asked.approvalId, "approve", { deps })).toMatchObject({ status: "applied" });
    expect(await getSettings(db)).toMatchObject({ vlanAllowlist: [13, 20], backupRetentionDays: 45 });
    await updateSettings(db, a, { vlanAllowlist: "" });
  });

  it("an older provisioning-node request does not empty a storage allowlist approved in between", async () => {
    const nodes = pending(await requestSettingsUpdate(db, b, { provisioningNodes: "pve-a", provisioningStorages: "" }));
    const storages = pending(await requestSettingsUpdate(db, a, { provisioningStorages: "local-lvm" }));
    await decideApproval(db, c, storages.approvalId, "approve", { deps });
    expect(await decideApproval(db, c, nodes.approvalId, "approve", { deps })).toMatchObject({ status: "applied" });
    expect(await getSettings(db)).toMatchObject({ provisioningNodes: ["pve-a"], provisioningStorages: ["local-lvm"] });
  });

  it("a pending request shows the value it changes from NOW, and asks again when that moved", async () => {
    const asked = pending(await requestSettingsUpdate(db, b, { vlanAllowlist: "13" }));
    expect(asked.summary).toBe("settings: vlanAllowlist from every VLAN to 13");
    await updateSettings(db, a, { vlanAllowlist: "11" });
    const view = (await listApprovals(db, "pending", deps)).find((r) => r.id === asked.approvalId)!;
    expect(view.now).toMatchObject({ lines: ["settings: vlanAllowlist from 11 to 13"], isMoved: true });
    const again = await decideApproval(db, c, asked.approvalId, "approve", { deps });
    expect(again.reasked!.lines).toEqual(["settings: vlanAllowlist from 11 to 13"]);
    expect((await getSettings(db)).vlanAllowlist).toEqual([11]);
    await decideApproval(db, c, asked.approvalId, "reject", { deps });
    await updateSettings(db, a, { vlanAllowlist: "" });
  });

  it("a request not decided within the expiry setting (default 7 days) expires, audited, and is never applied", async () => {
    expect((await getSettings(db)).approvalExpiryDays).toBe(7);
    const asked = pending(await requestSettingsUpdate(db, b, { vlanAllowlist: "14" }));
    const later = new Date(Date.now() + 7 * 86_400_000 + 1_000);
    await expect(decideApproval(db, c, asked.approvalId, "approve", { deps, now: later })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("expired"),
    });
    expect((await db.select().from(pendingChanges).where(eq(pendingChanges.id, asked.approvalId)))[0]!.status).toBe("expired");
    expect((await getSettings(db)).vlanAllowlist).toEqual([]);
    expect((await auditOf(asked.approvalId)).map((r) => r.action)).toContain("approval.expired");
  });
});

describe("one person, one vote", () => {
  it("the break-glass admin can never approve, and the refusal is audited", async () => {
    const sw = await newSwitch();
    await requestPortBindings(db, key, a, { switchId: sw.id, interface: "ge-0/0/4", bindings: [bind(211), bind(212)] });
    const binding = pending(await requestPortBindings(db, key, b, { switchId: sw.id, interface: "ge-0/0/4", bindings: [bind(211)] }));
    const settings = pending(await requestSettingsUpdate(db, b, { vlanAllowlist: "15" }));
    for (const id of [binding.approvalId, settings.approvalId]) {
      await expect(decideApproval(db, breakGlass, id, "approve", { deps })).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringContaining("break-glass"),
      });
      expect(await auditOf(id)).toContainEqual({ action: "approval.refused", actor: breakGlass.id, after: expect.objectContaining({ decision: "approve" }) });
    }
    expect(await portIps(sw.id)).toEqual(["10.0.48.211", "10.0.48.212"]);
    expect((await getSettings(db)).vlanAllowlist).toEqual([]);
    await decideApproval(db, c, settings.approvalId, "reject", { deps });
    await decideApproval(db, c, binding.approvalId, "reject", { deps });
  });

  it("the break-glass account is refused through the API too, as a session user", async () => {
    const asked = pending(await requestSettingsUpdate(db, b, { vlanAllowlist: "16" }));
    const root = buildUser([ROLES.admin], { id: "root@test.sankofa", email: "root@test.sankofa", isBreakGlass: true, issuer: BREAK_GLASS_ISSUER });
    await expect(callerFor(db, root, { secretsKey: key }).approvals.decide({ id: asked.approvalId, decision: "approve" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const other = buildUser([ROLES.admin]);
    expect(await callerFor(db, other, { secretsKey: key }).approvals.decide({ id: asked.approvalId, decision: "reject" })).toMatchObject({
      status: "rejected",
    });
  });

  it("identity is (issuer, subject): the requester is refused after changing their email, and from another account with their email; refusals are audited", async () => {
    const asked = pending(await requestSettingsUpdate(db, b, { vlanAllowlist: "17" }));
    // The same person, their email changed at the IdP.
    const renamed: Actor = { ...b, id: "someone-else@test.sankofa" };
    await expect(decideApproval(db, renamed, asked.approvalId, "approve", { deps })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another account (another issuer) carrying the requester's email: refused as before.
    const sameEmail: Actor = { id: b.id.toUpperCase(), issuer: "https://other-idp.test", subject: "x", roles: [ROLES.admin] };
    await expect(decideApproval(db, sameEmail, asked.approvalId, "approve", { deps })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const refused = (await auditOf(asked.approvalId)).filter((r) => r.action === "approval.refused");
    expect(refused.map((r) => r.actor)).toEqual([renamed.id, sameEmail.id]);
    // Two people are two people even when one's email was the other's before: the subject decides.
    expect(await decideApproval(db, c, asked.approvalId, "reject", { deps })).toMatchObject({ status: "rejected" });
  });

  it("a request by the break-glass account is decided by someone else, never by an OIDC account carrying its email", async () => {
    const asked = pending(await requestSettingsUpdate(db, breakGlass, { vlanAllowlist: "18" }));
    const oidcWithRootEmail: Actor = { id: breakGlass.id, issuer: IDP, subject: "sub-root", roles: [ROLES.admin] };
    await expect(decideApproval(db, oidcWithRootEmail, asked.approvalId, "approve", { deps })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await decideApproval(db, c, asked.approvalId, "approve", { deps })).toMatchObject({ status: "applied" });
    await updateSettings(db, a, { vlanAllowlist: "" });
  });
});

describe("settings that weaken evidence or safety wait; the billing mode waits for finance", () => {
  it.each([
    [{ auditRetentionDays: "60" }, "settings: auditRetentionDays from 400 to 60"],
    [{ vmacQuarantineDays: "0" }, "settings: vmacQuarantineDays from 7 to 0"],
    [{ isDriftAutoRepairOn: "on" as const }, "settings: isDriftAutoRepairOn from off to on"],
  ])("%o waits for a second admin", async (form, line) => {
    const before = await getSettings(db);
    const asked = await requestSettingsUpdate(db, b, form);
    expect(asked).toMatchObject({ status: "pending", summary: line });
    expect(await getSettings(db)).toEqual(before);
    await decideApproval(db, c, pending(asked).approvalId, "reject", { deps });
  });

  it("the billing mode needs finance's approval: an IT admin is refused, finance applies it; the rest of the form is not held by it", async () => {
    const asked = pending(await requestSettingsUpdate(db, b, { bandwidthBillingMode: "total", backupSchedule: "0 1 * * *" }));
    expect(asked.summary).toBe("settings: bandwidthBillingMode from higher to total");
    expect(await getSettings(db)).toMatchObject({ bandwidthBillingMode: "higher", backupSchedule: "0 1 * * *" });
    await expect(decideApproval(db, c, asked.approvalId, "approve", { deps })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("finance"),
    });
    const finance = buildUser([ROLES.finance]);
    expect(await callerFor(db, finance, { secretsKey: key }).approvals.decide({ id: asked.approvalId, decision: "approve" })).toMatchObject({
      status: "applied",
    });
    expect((await getSettings(db)).bandwidthBillingMode).toBe("total");
  });
});
