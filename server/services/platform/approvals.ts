import { and, desc, eq } from "drizzle-orm";
import { pendingChanges, switchPortBindings, type PendingChangeRow } from "@/drizzle/schema";
import { findRemovedBindings, findSafetyWeakening } from "@/lib/approvals/destructive";
import { parseSettingsForm, type Settings, type SettingsForm } from "@/lib/settings/schema";
import { readLatestBindings } from "../port-state/latest-bindings";
import type { Binding } from "@/lib/junos/bindings";
import { parsePortBindings } from "@/lib/junos/bindings";
import { AppError } from "@/lib/errors";
import { parseIpAddress } from "@/lib/net/ip";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "./audit";
import { getSettings, updateSettings } from "./settings";
import { getSwitch, setPortBindings } from "../switches/switches";
import { releaseVmac } from "../port-security/vmacs";
import { approveProvisioningJob, rejectProvisioningJob } from "../provisioning/jobs";

type PortBindingsInput = Parameters<typeof setPortBindings>[2];
export type RequestOutcome = { status: "applied"; jobId?: number } | { status: "pending"; approvalId: number; summary: string };

/**
 * Manual bindings for a port: applied at once when nothing is taken away; when a binding the port
 * holds would be removed (its device cut off), it waits for a second admin, if settings ask so.
 * A port the database has no bindings for is judged against what the switch holds (its latest
 * backup): an empty list there is a removal too.
 */
export async function requestPortBindings(db: DbOrTx, secretsKey: Buffer, actor: Actor, input: PortBindingsInput): Promise<RequestOutcome> {
  const port = parsePortBindings({ interface: input.interface, bindings: input.bindings });
  const sw = await getSwitch(db, input.switchId);
  const [current] = await db
    .select()
    .from(switchPortBindings)
    .where(and(eq(switchPortBindings.switchId, sw.id), eq(switchPortBindings.interface, port.interface)));
  const held = current
    ? (current.bindings as Binding[])
    : ((await readLatestBindings(db, secretsKey, [sw.id])).get(sw.id)?.parsed?.ports.get(port.interface) ?? []);
  const removed = findRemovedBindings(held, port.bindings);
  if (removed.length === 0 || !(await getSettings(db)).isSecondApprovalRequired) {
    return { status: "applied", ...(await setPortBindings(db, actor, input)) };
  }
  const summary = `${sw.name} ${port.interface}: remove ${removed.map((b) => `${b.ip} ${b.mac}`).join(", ")}`;
  return queue(db, actor, "port_bindings", input, summary, input.ticketId);
}

/**
 * A settings change: applied at once, unless it weakens safety (second approval off, another VLAN
 * allowlist) while the second approval is on; then it waits like any destructive change.
 */
export async function requestSettingsUpdate(
  db: Db,
  actor: Actor,
  form: SettingsForm,
  ticketId?: string,
): Promise<{ status: "applied"; settings: Settings } | { status: "pending"; approvalId: number; summary: string }> {
  // Bad values are refused now, naming the field, not when a second admin approves.
  const patch = parseSettingsForm(form);
  const current = await getSettings(db);
  const reasons = findSafetyWeakening(current, patch);
  if (reasons.length === 0 || !current.isSecondApprovalRequired) return { status: "applied", settings: await updateSettings(db, actor, form, ticketId) };
  const queued = await queue(db, actor, "settings", { form, ticketId: ticketId ?? null }, `settings: ${reasons.join("; ")}`, ticketId);
  return queued as { status: "pending"; approvalId: number; summary: string };
}

/** Releasing a VMAC unbinds its IP on the switch: the same rule. */
export async function requestVmacRelease(db: DbOrTx, actor: Actor, ip: string): Promise<RequestOutcome> {
  const addr = parseIpAddress(ip).ip;
  if (!(await getSettings(db)).isSecondApprovalRequired) {
    await releaseVmac(db, actor, addr);
    return { status: "applied" };
  }
  return queue(db, actor, "vmac_release", { ip: addr }, `release the VMAC of ${addr}`);
}

async function queue(db: DbOrTx, actor: Actor, kind: PendingChangeRow["kind"], payload: unknown, summary: string, ticketId?: string): Promise<RequestOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(pendingChanges)
      .values({ kind, payload: payload as object, summary, requestedBy: actor.id, ticketId: ticketId ?? null })
      .returning();
    await writeAudit(tx, actor, { action: "approval.requested", entityType: "pending_change", entityId: String(row!.id), after: { kind, summary }, ticketId });
    return { status: "pending", approvalId: row!.id, summary };
  });
}

/**
 * A second admin approves (the change is applied through its normal service, audited as theirs
 * too) or rejects. The requester cannot decide their own request.
 */
export async function decideApproval(db: DbOrTx, actor: Actor, id: number, decision: "approve" | "reject"): Promise<PendingChangeRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(pendingChanges).where(eq(pendingChanges.id, id)).for("update");
    if (!row) throw new AppError("NOT_FOUND", `approval ${id} does not exist`);
    if (row.status !== "pending") throw new AppError("CONFLICT", `approval ${id} is already ${row.status}`);
    if (row.requestedBy === actor.id) throw new AppError("FORBIDDEN", "a second admin must decide: you asked for this change");
    let status: PendingChangeRow["status"] = "rejected";
    let error: string | null = null;
    if (decision === "reject" && row.kind === "provisioning") await rejectProvisioningJob(tx, actor, (row.payload as { jobId: number }).jobId);
    if (decision === "approve") {
      // Nested transactions are savepoints: a failed apply leaves the request recorded as failed.
      try {
        if (row.kind === "port_bindings") await setPortBindings(tx, { id: row.requestedBy }, row.payload as PortBindingsInput);
        else if (row.kind === "settings") {
          const p = row.payload as { form: SettingsForm; ticketId: string | null };
          await updateSettings(tx, { id: row.requestedBy }, p.form, p.ticketId ?? undefined);
        } else if (row.kind === "provisioning") {
          // Approving queues the job; its run checks the guest again (a changed guest asks again).
          await approveProvisioningJob(tx, actor, (row.payload as { jobId: number }).jobId, row.id);
        } else await releaseVmac(tx, { id: row.requestedBy }, (row.payload as { ip: string }).ip);
        status = "applied";
      } catch (e) {
        status = "failed";
        error = (e as Error).message;
      }
    }
    const [done] = await tx
      .update(pendingChanges)
      .set({ status, decidedBy: actor.id, decidedAt: new Date(), error })
      .where(eq(pendingChanges.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: `approval.${decision === "approve" ? "approved" : "rejected"}`,
      entityType: "pending_change",
      entityId: String(id),
      before: { status: "pending" },
      after: { status, error, summary: row.summary },
    });
    return done!;
  });
}

export function listApprovals(db: DbOrTx, status?: PendingChangeRow["status"]) {
  return db
    .select()
    .from(pendingChanges)
    .where(status ? eq(pendingChanges.status, status) : undefined)
    .orderBy(desc(pendingChanges.id))
    .limit(200);
}
