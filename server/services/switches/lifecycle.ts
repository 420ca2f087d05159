import { and, eq, ne, sql } from "drizzle-orm";
import { panelPorts, portSecurityEvents, switchDirtyPorts, switchPortBindings, switches } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { parseGroupName } from "@/lib/junos/values";
import { seal } from "@/server/crypto/secret-box";
import type { Db, Tx, DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";
import { enqueueReconcile, RECONCILE_GATHER_MS, requestSwitchPush, toPublicSwitch, type PublicSwitch } from "./switches";
import { jobKeys, switchJobKeys, switchQueue } from "@/lib/jobs/keys";

export interface SwitchEdit {
  host: string;
  port: number;
  username: string;
  /** Blank or absent: the default group, as on create. */
  dhcpSecurityGroup?: string;
  /** null unlinks the switch from Tenantos. */
  tenantosDeviceId?: number | null;
}

/** Locks the row so a concurrent edit, delete or removal cannot interleave with this one. */
async function lockSwitch(tx: Tx, switchId: number) {
  const [row] = await tx.select().from(switches).where(eq(switches.id, switchId)).for("update");
  if (!row) throw new AppError("NOT_FOUND", `switch ${switchId} does not exist`);
  return row;
}

export async function updateSwitch(db: DbOrTx, actor: Actor, switchId: number, input: SwitchEdit): Promise<PublicSwitch> {
  const group = parseGroupName(input.dhcpSecurityGroup || "sankofa");
  return db.transaction(async (tx) => {
    const sw = await lockSwitch(tx, switchId);
    if (input.tenantosDeviceId != null) {
      const [taken] = await tx
        .select({ name: switches.name })
        .from(switches)
        .where(and(eq(switches.tenantosDeviceId, input.tenantosDeviceId), ne(switches.id, switchId)));
      if (taken) throw new AppError("CONFLICT", `Tenantos device ${input.tenantosDeviceId} is already switch ${taken.name}`, { field: "tenantosDeviceId" });
    }
    // A new address may be another box (or an impostor): its key must be learnt and approved
    // again before credentials go to it, and its model may differ, so the dialect is detected anew.
    const isMoved = sw.host !== input.host || sw.port !== input.port;
    const [row] = await tx
      .update(switches)
      .set({
        host: input.host,
        port: input.port,
        username: input.username,
        dhcpSecurityGroup: group,
        tenantosDeviceId: input.tenantosDeviceId === undefined ? sw.tenantosDeviceId : input.tenantosDeviceId,
        ...(isMoved ? { hostKeyState: "unknown" as const, hostKeyFingerprint: null, hostKeyPresented: null, dialect: null } : {}),
        updatedAt: new Date(),
      })
      .where(eq(switches.id, switchId))
      .returning();
    const after = toPublicSwitch(row!);
    await writeAudit(tx, actor, { action: "switch.update", entityType: "switch", entityId: String(switchId), before: toPublicSwitch(sw), after });
    if (isMoved) await enqueueReconcile(tx, switchId, "first-contact");
    return after;
  });
}

/** New credentials, sealed; a blank one keeps what is stored. The audit names which changed, never the value. */
export async function rotateSwitchCredentials(
  db: Db,
  key: Buffer,
  actor: Actor,
  switchId: number,
  input: { password?: string; privateKey?: string },
): Promise<PublicSwitch> {
  const password = input.password || undefined;
  const privateKey = input.privateKey?.trim() ? input.privateKey : undefined;
  if (!password && !privateKey)
    throw new AppError("BAD_REQUEST", "give a new password or private key (a blank field keeps the stored one)", { field: "password" });
  return db.transaction(async (tx) => {
    await lockSwitch(tx, switchId);
    const [row] = await tx
      .update(switches)
      .set({
        ...(password ? { passwordSealed: seal(password, key) } : {}),
        ...(privateKey ? { privateKeySealed: seal(privateKey, key) } : {}),
        updatedAt: new Date(),
      })
      .where(eq(switches.id, switchId))
      .returning();
    const changed = [...(password ? ["password"] : []), ...(privateKey ? ["privateKey"] : [])];
    await writeAudit(tx, actor, { action: "switch.credentials_rotate", entityType: "switch", entityId: String(switchId), after: { changed } });
    // Ports left dirty by a refused login are not retried on their own: the new credentials may unblock them.
    await enqueueReconcile(tx, switchId, "credentials");
    return toPublicSwitch(row!);
  });
}

export async function setSwitchAutomation(db: DbOrTx, actor: Actor, switchId: number, isEnabled: boolean): Promise<PublicSwitch> {
  return db.transaction(async (tx) => {
    const sw = await lockSwitch(tx, switchId);
    if (sw.isAutomationEnabled === isEnabled) return toPublicSwitch(sw);
    const [row] = await tx.update(switches).set({ isAutomationEnabled: isEnabled, updatedAt: new Date() }).where(eq(switches.id, switchId)).returning();
    await writeAudit(tx, actor, {
      action: isEnabled ? "switch.automation_enable" : "switch.automation_disable",
      entityType: "switch",
      entityId: String(switchId),
      before: { isAutomationEnabled: sw.isAutomationEnabled },
      after: { isAutomationEnabled: isEnabled },
    });
    // Ports marked while it was off are still dirty: push them now rather than at the next event.
    if (isEnabled) await enqueueReconcile(tx, switchId, "automation-enabled");
    return toPublicSwitch(row!);
  });
}

export type DeleteMode = "leave-switch" | "remove-bindings";

/** How long after the wipe's reconcile is due the removal runs; it is in the same queue, so after it anyway. */
export const REMOVE_AFTER_MS = RECONCILE_GATHER_MS + 2_000;

/**
 * `leave-switch`: the row goes now (bindings, pushes and backups cascade); the switch keeps its
 * configuration. `remove-bindings`: our bindings are wiped from the switch first, and the row goes
 * only once that push has succeeded (the `remove-switch` job, in the switch's own queue).
 */
export async function deleteSwitch(
  db: DbOrTx,
  actor: Actor,
  input: { switchId: number; mode: DeleteMode; confirmName: string },
): Promise<{ status: "deleted" } | { status: "removal-queued"; ports: string[]; jobId: number }> {
  return db.transaction(async (tx) => {
    const sw = await lockSwitch(tx, input.switchId);
    if (input.confirmName !== sw.name) throw new AppError("BAD_REQUEST", `type the switch's name, ${sw.name}, to confirm`, { field: "confirmName" });
    const pub = toPublicSwitch(sw);
    if (input.mode === "leave-switch") {
      await removeSwitchRow(tx, sw.id, [...switchJobKeys(sw.id), jobKeys.removeSwitch(sw.id)]);
      await writeAudit(tx, actor, { action: "switch.delete", entityType: "switch", entityId: String(sw.id), before: pub, after: { mode: input.mode } });
      return { status: "deleted" as const };
    }
    // A wipe that cannot be pushed would leave the removal retrying to no end: say so now.
    if (sw.hostKeyState !== "approved")
      throw new AppError(
        "CONFLICT",
        `the host key of ${sw.name} is not approved, so its bindings cannot be removed: approve it, or delete and leave the switch as it is`,
        { field: "mode" },
      );
    if (!sw.isAutomationEnabled)
      throw new AppError(
        "CONFLICT",
        `automation is off for ${sw.name}, so its bindings cannot be removed: enable it, or delete and leave the switch as it is`,
        { field: "mode" },
      );
    const manual = await tx
      .delete(switchPortBindings)
      .where(eq(switchPortBindings.switchId, sw.id))
      .returning({ interface: switchPortBindings.interface, bindings: switchPortBindings.bindings });
    const panel = await tx
      .delete(panelPorts)
      .where(eq(panelPorts.switchId, sw.id))
      .returning({ interface: panelPorts.interface, serverId: panelPorts.serverId });
    // With no row left for a port, the reconcile's desired state for it is empty: a wipe of its static-ip subtree only.
    const ports = [...new Set([...manual.map((m) => m.interface), ...panel.map((p) => p.interface)])].sort();
    await requestSwitchPush(tx, sw.id, ports, "remove-switch");
    const jobId = await enqueueJob(
      tx,
      "remove-switch",
      { switchId: sw.id, requestedBy: actor.id },
      { queueName: switchQueue(sw.id), jobKey: jobKeys.removeSwitch(sw.id), runAt: new Date(Date.now() + REMOVE_AFTER_MS), maxAttempts: 5 },
    );
    await writeAudit(tx, actor, {
      action: "switch.delete_requested",
      entityType: "switch",
      entityId: String(sw.id),
      before: { switch: pub, manualPorts: manual, panelPorts: panel },
      after: { mode: input.mode, portsToWipe: ports, jobId },
    });
    return { status: "removal-queued" as const, ports, jobId };
  });
}

/**
 * The `remove-switch` job's work: the row goes only if the wipe left no dirty port. Otherwise it
 * throws, the switch stays, and graphile retries with its backoff.
 */
export async function completeSwitchRemoval(db: DbOrTx, switchId: number, requestedBy: string): Promise<{ status: "deleted" | "already-gone" }> {
  return db.transaction(async (tx) => {
    // FOR UPDATE also holds off a new dirty mark (its foreign key takes a share lock on this row).
    const [sw] = await tx.select().from(switches).where(eq(switches.id, switchId)).for("update");
    if (!sw) return { status: "already-gone" as const };
    const dirty = await tx.select({ interface: switchDirtyPorts.interface }).from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, switchId));
    if (dirty.length) {
      const names = dirty.map((d) => d.interface).sort();
      throw new AppError(
        "CONFLICT",
        `switch ${sw.name} is not removed: the wipe of its bindings has not succeeded yet (${names.length} port(s) still dirty: ${names.join(", ")}); see its pushes`,
      );
    }
    // Not its own key: this job is the one running.
    await removeSwitchRow(tx, sw.id, switchJobKeys(sw.id));
    await writeAudit(
      tx,
      { id: "system:remove-switch" },
      { action: "switch.delete", entityType: "switch", entityId: String(sw.id), before: toPublicSwitch(sw), after: { mode: "remove-bindings", requestedBy } },
    );
    return { status: "deleted" as const };
  });
}

/** A removal that gave up leaves a trace where people look; the switch and its dirty ports stay. */
export async function recordRemovalGaveUp(db: DbOrTx, switchId: number, requestedBy: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    await writeAudit(
      tx,
      { id: "system:remove-switch" },
      { action: "switch.delete_failed", entityType: "switch", entityId: String(switchId), after: { requestedBy, reason } },
    );
  });
}

/**
 * The switch's waiting jobs go with it: a backup or drift check of a missing switch would only fail
 * through its retries. A job already running is left to finish (graphile only unkeys it).
 */
async function removeSwitchRow(tx: Tx, switchId: number, keys: string[]): Promise<void> {
  for (const key of keys) await tx.execute(sql`select graphile_worker.remove_job(${key})`);
  // Events have no foreign key to the switch (the door records them before knowing one): close the waiting ones.
  await tx
    .update(portSecurityEvents)
    .set({ status: "skipped", skipReason: "the switch was deleted" })
    .where(and(eq(portSecurityEvents.switchId, switchId), eq(portSecurityEvents.status, "queued")));
  await tx.delete(switches).where(eq(switches.id, switchId));
}
