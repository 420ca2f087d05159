import { eq } from "drizzle-orm";
import { panelPorts, proxmoxNodeServers } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import { requestPortsPush } from "../switches/switches";

/** A Proxmox node is suggested for the Tenantos server whose hostname starts with the node's name; an admin confirms. */
export function shortHostname(hostname: string): string {
  return hostname.split(".")[0]!.toLowerCase();
}

export function listNodeServers(db: DbOrTx) {
  return db.select().from(proxmoxNodeServers);
}

/**
 * An admin confirms that Tenantos server `serverId` is Proxmox node `node`: its uplink ports then
 * carry every VM on the node. The ports we already know for it change kind and are pushed again.
 */
export async function confirmNodeServer(db: DbOrTx, actor: Actor, input: { node: string; serverId: number }): Promise<void> {
  await db.transaction(async (tx) => {
    const [byServer] = await tx.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.tenantosServerId, input.serverId));
    if (byServer && byServer.node !== input.node)
      throw new AppError("CONFLICT", `Tenantos server ${input.serverId} is already node ${byServer.node}`, { field: "serverId" });
    const [before] = await tx.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, input.node));
    const row = { node: input.node, tenantosServerId: input.serverId, confirmedBy: actor.id, confirmedAt: new Date() };
    await tx.insert(proxmoxNodeServers).values(row).onConflictDoUpdate({ target: proxmoxNodeServers.node, set: row });
    if (before && before.tenantosServerId !== input.serverId) await setServerPortKind(tx, before.tenantosServerId, null);
    await setServerPortKind(tx, input.serverId, input.node);
    await writeAudit(tx, actor, {
      action: "proxmox.node_server_confirm",
      entityType: "proxmox_node",
      entityId: input.node,
      before: before ?? null,
      after: row,
    });
  });
}

export async function removeNodeServer(db: DbOrTx, actor: Actor, node: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.delete(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, node)).returning();
    if (!before) throw new AppError("NOT_FOUND", `node ${node} is not mapped`);
    await setServerPortKind(tx, before.tenantosServerId, null);
    await writeAudit(tx, actor, { action: "proxmox.node_server_remove", entityType: "proxmox_node", entityId: node, before, after: null });
  });
}

/** The server's known ports become (or stop being) a node's uplink, and are pushed again. */
async function setServerPortKind(tx: DbOrTx, serverId: number, node: string | null): Promise<void> {
  const ports = await tx
    .update(panelPorts)
    .set({ kind: node ? "vm-node" : "dedicated", proxmoxNode: node, updatedAt: new Date() })
    .where(eq(panelPorts.serverId, serverId))
    .returning();
  await requestPortsPush(tx, ports, node ? `node-mapped:${node}` : "node-unmapped");
}
