import type { JunosTarget } from "@/server/connectors/junos/session";
import { and, asc, eq, sql } from "drizzle-orm";
import { switchDirtyPorts, switchPortBindings, switches, type SwitchRow } from "@/drizzle/schema";
import { parsePortBindings } from "@/lib/junos/bindings";
import { parseGroupName } from "@/lib/junos/values";
import { AppError } from "@/lib/errors";
import { seal } from "@/server/crypto/secret-box";
import type { DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";
import { enqueueBackup } from "./backup-jobs";
import { jobKeys, switchQueue } from "@/lib/jobs/keys";

/** A switch to register: its SSH login (as the connector takes it) and how the console names it. */
export interface NewSwitch extends Pick<JunosTarget, "host" | "port" | "username" | "password" | "privateKey"> {
  name: string;
  dhcpSecurityGroup?: string;
  /** The switch's network device id in Tenantos, so panel events find it. */
  tenantosDeviceId?: number;
}

/** What the console may see of a switch: never its credentials. */
export function toPublicSwitch(row: SwitchRow) {
  const { passwordSealed, privateKeySealed, ...rest } = row;
  return { ...rest, hasPassword: passwordSealed !== null, hasPrivateKey: privateKeySealed !== null };
}
export type PublicSwitch = ReturnType<typeof toPublicSwitch>;

export async function createSwitch(db: DbOrTx, key: Buffer, actor: Actor, input: NewSwitch): Promise<PublicSwitch> {
  if (!input.password && !input.privateKey) throw new AppError("BAD_REQUEST", "a switch needs a password or a private key", { field: "password" });
  const group = parseGroupName(input.dhcpSecurityGroup ?? "sankofa");
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: switches.id }).from(switches).where(eq(switches.name, input.name));
    if (existing.length) throw new AppError("CONFLICT", `a switch named ${input.name} exists`, { field: "name" });
    if (input.tenantosDeviceId !== undefined) {
      const taken = await tx.select({ name: switches.name }).from(switches).where(eq(switches.tenantosDeviceId, input.tenantosDeviceId));
      if (taken.length)
        throw new AppError("CONFLICT", `Tenantos device ${input.tenantosDeviceId} is already switch ${taken[0]!.name}`, { field: "tenantosDeviceId" });
    }
    const [row] = await tx
      .insert(switches)
      .values({
        name: input.name,
        host: input.host,
        port: input.port,
        username: input.username,
        passwordSealed: input.password ? seal(input.password, key) : null,
        privateKeySealed: input.privateKey ? seal(input.privateKey, key) : null,
        dhcpSecurityGroup: group,
        tenantosDeviceId: input.tenantosDeviceId ?? null,
      })
      .returning();
    const pub = toPublicSwitch(row!);
    await writeAudit(tx, actor, { action: "switch.create", entityType: "switch", entityId: String(pub.id), after: pub });
    // First contact runs in the switch's queue: it records the host key for an admin to approve.
    await enqueueReconcile(tx, pub.id, "first-contact");
    return pub;
  });
}

export async function getSwitch(db: DbOrTx, id: number): Promise<SwitchRow> {
  const [row] = await db.select().from(switches).where(eq(switches.id, id));
  if (!row) throw new AppError("NOT_FOUND", `switch ${id} does not exist`);
  return row;
}

export async function listSwitches(db: DbOrTx): Promise<PublicSwitch[]> {
  return (await db.select().from(switches).orderBy(asc(switches.name))).map(toPublicSwitch);
}

/** An admin confirms the fingerprint recorded on first contact (read out of band, on the console). */
export async function approveHostKey(db: DbOrTx, actor: Actor, switchId: number, fingerprint: string): Promise<PublicSwitch> {
  return db.transaction(async (tx) => {
    const sw = await getSwitch(tx, switchId);
    const offered = sw.hostKeyState === "mismatch" ? sw.hostKeyPresented : sw.hostKeyFingerprint;
    if (!offered || offered !== fingerprint) {
      throw new AppError("CONFLICT", `fingerprint ${fingerprint} is not the one switch ${sw.name} presented (${offered ?? "none yet"})`, {
        field: "fingerprint",
      });
    }
    const [row] = await tx
      .update(switches)
      .set({ hostKeyFingerprint: fingerprint, hostKeyState: "approved", hostKeyPresented: null, updatedAt: new Date() })
      .where(eq(switches.id, switchId))
      .returning();
    await writeAudit(tx, actor, {
      action: "switch.host_key_approve",
      entityType: "switch",
      entityId: String(switchId),
      // On a changed key, before holds the key approved earlier and after the one now trusted.
      before: { state: sw.hostKeyState, fingerprint: sw.hostKeyFingerprint, presented: sw.hostKeyPresented },
      after: { state: "approved", fingerprint },
    });
    // A first backup right away: it tells the switch's VLAN names, which panel bindings use, and
    // pushes whatever waited for the approval.
    await enqueueBackup(tx, switchId, "on-demand");
    await enqueueReconcile(tx, switchId, "host-key-approved");
    return toPublicSwitch(row!);
  });
}

export async function markPortsDirty(tx: DbOrTx, switchId: number, interfaces: string[]): Promise<void> {
  if (interfaces.length === 0) return;
  await tx
    .insert(switchDirtyPorts)
    .values(interfaces.map((i) => ({ switchId, interface: i })))
    .onConflictDoUpdate({ target: [switchDirtyPorts.switchId, switchDirtyPorts.interface], set: { markedAt: sql`now()` } });
}

/** How long a reconcile waits for more events to join it; adds within the window do not postpone it. */
export const RECONCILE_GATHER_MS = 300;

/**
 * One queue per switch (never two sessions to it), one key per switch: a burst of marks becomes
 * one run, started at most RECONCILE_GATHER_MS after the first mark.
 */
export function enqueueReconcile(tx: DbOrTx, switchId: number, trigger: string, gatherMs = RECONCILE_GATHER_MS): Promise<number> {
  return enqueueJob(
    tx,
    "reconcile-switch",
    { switchId, trigger },
    { queueName: switchQueue(switchId), jobKey: jobKeys.reconcileSwitch(switchId), jobKeyMode: "preserve_run_at", runAt: new Date(Date.now() + gatherMs) },
  );
}

/**
 * One switch's ports marked dirty and its run queued, in the caller's transaction. The run is
 * queued even with no port marked: it reads the switch again (first contact, removal).
 */
export async function requestSwitchPush(tx: DbOrTx, switchId: number, interfaces: string[], trigger: string, gatherMs = RECONCILE_GATHER_MS): Promise<number> {
  await markPortsDirty(tx, switchId, interfaces);
  return enqueueReconcile(tx, switchId, trigger, gatherMs);
}

/**
 * Ports of any switches marked dirty and each switch's run queued once, in the caller's
 * transaction: the job id by switch id (a switch with no port given gets no run).
 */
export async function requestPortsPush(
  tx: DbOrTx,
  ports: ReadonlyArray<{ switchId: number; interface: string }>,
  trigger: string,
  gatherMs = RECONCILE_GATHER_MS,
): Promise<Map<number, number>> {
  const bySwitch = new Map<number, Set<string>>();
  for (const p of ports) bySwitch.set(p.switchId, (bySwitch.get(p.switchId) ?? new Set()).add(p.interface));
  const jobIds = new Map<number, number>();
  for (const [switchId, interfaces] of bySwitch) jobIds.set(switchId, await requestSwitchPush(tx, switchId, [...interfaces], trigger, gatherMs));
  return jobIds;
}

/** An event's whole effect: ports marked dirty and the switch's run queued, in one transaction. */
export async function requestReconcile(db: DbOrTx, switchId: number, interfaces: string[], trigger: string): Promise<number> {
  return db.transaction((tx) => requestSwitchPush(tx, switchId, interfaces, trigger));
}

/** Sets what a port should hold; the switch follows in a job. Bad values are refused by name. */
export async function setPortBindings(
  db: DbOrTx,
  actor: Actor,
  input: { switchId: number; interface: string; bindings: Array<{ ip: string; mac: string; vlan: string }>; ticketId?: string },
): Promise<{ jobId: number }> {
  const port = parsePortBindings({ interface: input.interface, bindings: input.bindings });
  return db.transaction(async (tx) => {
    await getSwitch(tx, input.switchId);
    const [before] = await tx
      .select()
      .from(switchPortBindings)
      .where(and(eq(switchPortBindings.switchId, input.switchId), eq(switchPortBindings.interface, port.interface)));
    await tx
      .insert(switchPortBindings)
      .values({ switchId: input.switchId, interface: port.interface, bindings: port.bindings, updatedBy: actor.id })
      .onConflictDoUpdate({
        target: [switchPortBindings.switchId, switchPortBindings.interface],
        set: { bindings: port.bindings, updatedBy: actor.id, updatedAt: new Date() },
      });
    const jobId = await requestSwitchPush(tx, input.switchId, [port.interface], `bindings:${actor.id}`);
    await writeAudit(tx, actor, {
      action: "switch.port_bindings",
      entityType: "switch_port",
      entityId: `${input.switchId}:${port.interface}`,
      before: before?.bindings ?? null,
      after: port.bindings,
      ticketId: input.ticketId,
    });
    return { jobId };
  });
}
