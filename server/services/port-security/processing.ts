import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import { panelPorts, portSecurityEvents, vmacs } from "@/drizzle/schema";
import { TenantosError } from "@/server/connectors/tenantos/client";
import type { Db, Tx, DbOrTx } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { findServerPorts, requestServerPortsPush } from "./tenantos-routing";
import { enqueuePortSecurityEvents, lockServerEvents } from "./events";
import { requestPortsPush } from "../switches/switches";
import { releaseVmacs } from "./vmacs";

const SYSTEM = { id: "system:port-security" };

type Outcome = { status: "queued"; switchId: number; interface: string; jobId: number } | { status: "skipped"; reason: string };

/**
 * Turns a server's received events into work: find its switch ports (Tenantos connections, or its
 * node's when it is a VM), remember them as panel-managed, mark them dirty and queue the switches'
 * runs. The push reads the facts again; the event only says where to look. Destructive events are
 * checked with the panel first, so a replayed or forged one cannot cut a live server off:
 * `server_deleted` wipes only once Tenantos answers 404 for the server, and `ip_removed` releases
 * a VMAC only when it was that server's and Tenantos no longer assigns it the IP.
 */
export async function processServerEvents(db: Db, panel: OutsideSystems | undefined, serverId: number): Promise<Outcome | null> {
  const pending = await db
    .select()
    .from(portSecurityEvents)
    .where(and(eq(portSecurityEvents.serverId, serverId), eq(portSecurityEvents.status, "received")))
    .orderBy(asc(portSecurityEvents.id));
  if (pending.length === 0) return null;
  const isDeleted = pending.at(-1)!.action === "server_deleted";
  // Facts first, outside any transaction: Tenantos and Proxmox may be slow, and a transaction
  // held open across their calls would hold its locks (and a pool connection) as long.
  const isGone = isDeleted ? await isServerGone(panel, serverId) : undefined;
  // A burst of events for one server is routed once: ports learnt within the last minute are reused
  // (the push reads the server's facts again anyway); a moved port is learnt on the next routing.
  const recent = isDeleted ? [] : await listRecentlyRoutedPorts(db, serverId);
  const found = isDeleted || recent.length ? undefined : await findServerPorts(db, panel, serverId);
  // Only an IP that holds one of the server's VMACs needs the panel's word before it is released.
  const removed = pending.filter((e) => e.action === "ip_removed" && e.ip).map((e) => e.ip!);
  const withVmac = removed.length ? await listServerVmacIps(db, serverId, removed) : new Set<string>();
  const assigned = !isDeleted && panel && withVmac.size ? await listAssignedIps(panel, serverId) : undefined;
  const eventSkips = new Map<number, string>();
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    for (const e of pending) {
      if (e.action !== "ip_removed" || !e.ip || !withVmac.has(e.ip)) continue;
      if (!assigned) eventSkips.set(e.id, "Tenantos could not confirm the IP was removed: its VMAC is kept");
      else if (assigned.has(e.ip)) eventSkips.set(e.id, `Tenantos still assigns ${e.ip} to server ${serverId}: its VMAC is kept`);
      else await releaseVmacs(tx, SYSTEM, { ip: e.ip, serverId });
    }
    if (isDeleted) {
      if (isGone !== true)
        return {
          status: "skipped",
          reason: typeof isGone === "string" ? isGone : `Tenantos still has server ${serverId}: a server_deleted it does not confirm wipes nothing`,
        };
      await releaseVmacs(tx, SYSTEM, { serverId });
      return wipeServerPorts(tx, serverId);
    }
    if (recent.length) {
      const jobIds = await requestPortsPush(tx, recent, `event:server:${serverId}`);
      const [first] = recent;
      return { status: "queued", switchId: first!.switchId, interface: first!.interface, jobId: jobIds.get(first!.switchId)! };
    }
    if (!found!.isFound) return { status: "skipped", reason: found!.reason };
    const [first] = await requestServerPortsPush(tx, found!, `event:server:${serverId}`);
    // Every port it names is another server's or holds hand-made bindings: that waits for a second admin.
    if (!first)
      return {
        status: "skipped",
        reason: "Tenantos's data moves the server's port(s) from another server or onto hand-made bindings: waiting for a second admin on /it/approvals",
      };
    return { status: "queued", ...first };
  });
  // Under the server's lock (the door takes it too): mark what was handled, and if events arrived
  // meanwhile, queue the next run. The door saw them waiting and left the queuing to us.
  await db.transaction(async (tx) => {
    await lockServerEvents(tx, serverId);
    const handled = pending.filter((e) => !eventSkips.has(e.id)).map((e) => e.id);
    if (handled.length) {
      await tx
        .update(portSecurityEvents)
        .set(
          outcome.status === "queued"
            ? { status: "queued", switchId: outcome.switchId, interface: outcome.interface, jobId: outcome.jobId }
            : { status: "skipped", skipReason: outcome.reason },
        )
        .where(inArray(portSecurityEvents.id, handled));
    }
    for (const [id, reason] of eventSkips)
      await tx.update(portSecurityEvents).set({ status: "skipped", skipReason: reason }).where(eq(portSecurityEvents.id, id));
    const [more] = await tx
      .select({ id: portSecurityEvents.id })
      .from(portSecurityEvents)
      .where(and(eq(portSecurityEvents.serverId, serverId), eq(portSecurityEvents.status, "received")))
      .limit(1);
    if (more) await enqueuePortSecurityEvents(tx, serverId);
  });
  return outcome;
}

/** How long a server's routing (its ports, learnt from Tenantos) is reused by its next events. */
export const ROUTING_REUSE_MS = 60_000;

function listRecentlyRoutedPorts(db: DbOrTx, serverId: number) {
  return db
    .select({ switchId: panelPorts.switchId, interface: panelPorts.interface })
    .from(panelPorts)
    .where(and(eq(panelPorts.serverId, serverId), gt(panelPorts.updatedAt, new Date(Date.now() - ROUTING_REUSE_MS))));
}

async function listServerVmacIps(db: DbOrTx, serverId: number, ips: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ ip: vmacs.ip })
    .from(vmacs)
    .where(and(eq(vmacs.serverId, serverId), inArray(vmacs.ip, ips), isNull(vmacs.releasedAt)));
  return new Set(rows.map((r) => r.ip));
}

/** true: Tenantos answers 404 for it; false: it is still there; a string: why it cannot be told. */
async function isServerGone(panel: OutsideSystems | undefined, serverId: number): Promise<true | false | string> {
  if (!panel) return "Tenantos is not configured, so the deletion cannot be confirmed: nothing wiped";
  try {
    await panel.tenantos.getServer(serverId);
    return false;
  } catch (e) {
    if (e instanceof TenantosError && e.kind === "not-found") return true;
    if (e instanceof TenantosError && e.kind === "shape") return false;
    throw e;
  }
}

/** The IPs Tenantos assigns the server now (none once it is gone). */
async function listAssignedIps(panel: OutsideSystems, serverId: number): Promise<Set<string> | undefined> {
  try {
    return new Set((await panel.tenantos.getIpAssignments(serverId)).map((a) => a.ip));
  } catch (e) {
    if (e instanceof TenantosError && e.kind === "not-found") return new Set();
    if (e instanceof TenantosError && e.kind === "shape") return undefined;
    throw e;
  }
}

/** server_deleted: the ports we knew it on lose their panel bindings and are pushed empty. */
async function wipeServerPorts(tx: Tx, serverId: number): Promise<Outcome> {
  const known = await tx.delete(panelPorts).where(eq(panelPorts.serverId, serverId)).returning();
  // A deleted VM has no port of its own: its address must leave whichever node uplink carried it,
  // and a refresh of every uplink (read again from the facts) takes it off without guessing which.
  const refreshed = known.length ? known : await tx.select().from(panelPorts).where(eq(panelPorts.kind, "vm-node"));
  if (refreshed.length === 0) return { status: "skipped", reason: "no switch port is known for the deleted server" };
  const jobIds = await requestPortsPush(tx, refreshed, `server_deleted:${serverId}`);
  const last = refreshed.at(-1)!;
  return { status: "queued", switchId: last.switchId, interface: last.interface, jobId: jobIds.get(last.switchId)! };
}
