import { and, asc, eq, inArray } from "drizzle-orm";
import { panelPorts, portSecurityEvents } from "@/drizzle/schema";
import type { Db, Tx } from "@/server/db/client";
import type { PanelDeps } from "./panel-facts";
import { findServerPort, requestServerPortPush } from "./panel-routing";
import { enqueuePortSecurityEvents, lockServerEvents } from "./port-security-events";
import { enqueueReconcile, markPortsDirty } from "./switches";
import { releaseVmacs } from "./vmacs";

const SYSTEM = { id: "system:port-security" };

type Outcome = { status: "queued"; switchId: number; interface: string; jobId: number } | { status: "skipped"; reason: string };

/**
 * Turns a server's received events into work: find its switch port (Tenantos connection), check
 * the automation requirements, remember the port as panel-managed, mark it dirty and queue the
 * switch's run. The push reads the facts again; the event only says where to look.
 */
export async function processServerEvents(db: Db, panel: PanelDeps | undefined, serverId: number): Promise<Outcome | null> {
  const pending = await db
    .select()
    .from(portSecurityEvents)
    .where(and(eq(portSecurityEvents.serverId, serverId), eq(portSecurityEvents.status, "received")))
    .orderBy(asc(portSecurityEvents.id));
  if (pending.length === 0) return null;
  const isDeleted = pending.at(-1)!.action === "server_deleted";
  // Facts first, outside any transaction: Tenantos and Proxmox may be slow, and a transaction
  // held open across their calls would hold its locks (and a pool connection) as long.
  const found = isDeleted ? undefined : await findServerPort(db, panel, serverId);
  const outcome = await db.transaction(async (tx) => {
    // An IP that left the server, or a server that is gone, gives its VMACs back.
    for (const e of pending) {
      if (e.action === "ip_removed" && e.ip) await releaseVmacs(tx, SYSTEM, { ip: e.ip });
      if (e.action === "server_deleted") await releaseVmacs(tx, SYSTEM, { serverId });
    }
    if (!found) return wipeServerPorts(tx, serverId);
    if (!found.isFound) return { status: "skipped" as const, reason: found.reason };
    return { status: "queued" as const, switchId: found.switch.id, interface: found.interface, jobId: await requestServerPortPush(tx, serverId, found, `event:server:${serverId}`) };
  });
  // Under the server's lock (the door takes it too): mark what was handled, and if events arrived
  // meanwhile, queue the next run. The door saw them waiting and left the queuing to us.
  await db.transaction(async (tx) => {
    await lockServerEvents(tx, serverId);
    await tx
      .update(portSecurityEvents)
      .set(
        outcome.status === "queued"
          ? { status: "queued", switchId: outcome.switchId, interface: outcome.interface, jobId: outcome.jobId }
          : { status: "skipped", skipReason: outcome.reason },
      )
      .where(inArray(portSecurityEvents.id, pending.map((e) => e.id)));
    const [more] = await tx.select({ id: portSecurityEvents.id }).from(portSecurityEvents).where(and(eq(portSecurityEvents.serverId, serverId), eq(portSecurityEvents.status, "received"))).limit(1);
    if (more) await enqueuePortSecurityEvents(tx, serverId);
  });
  return outcome;
}

/** server_deleted: the ports we knew it on lose their panel bindings and are pushed empty. */
async function wipeServerPorts(tx: Tx, serverId: number): Promise<Outcome> {
  const known = await tx.delete(panelPorts).where(eq(panelPorts.serverId, serverId)).returning();
  if (known.length === 0) return { status: "skipped", reason: "no switch port is known for the deleted server" };
  let last: Outcome = { status: "skipped", reason: "" };
  for (const p of known) {
    await markPortsDirty(tx, p.switchId, [p.interface]);
    last = { status: "queued", switchId: p.switchId, interface: p.interface, jobId: await enqueueReconcile(tx, p.switchId, `server_deleted:${serverId}`) };
  }
  return last;
}
