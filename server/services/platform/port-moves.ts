import { and, eq } from "drizzle-orm";
import { panelPorts, pendingChanges, switchPortBindings } from "@/drizzle/schema";
import type { Binding } from "@/lib/junos/bindings";
import type { Tx } from "@/server/db/client";
import { writeAudit } from "./audit";

/** A port Tenantos's data gives to a server: what is stored as the change of a `panel_port` approval. */
export interface PanelPortClaim {
  switchId: number;
  interface: string;
  serverId: number;
  kind: "dedicated" | "vm-node";
  proxmoxNode: string | null;
}

const TENANTOS: { id: string } = { id: "system:tenantos" };

/**
 * Whether Tenantos's data may take this port now: not when it moves the port from another server,
 * or onto a port holding hand-made bindings (either cuts customers off). Such a claim waits on
 * /it/approvals (one pending request per port and server, however often the data repeats) and the
 * port is left as it is. Reads and writes the database only: callers hold a transaction.
 */
export async function holdPortClaimIfTaking(tx: Tx, claim: PanelPortClaim): Promise<{ isHeld: false } | { isHeld: true; reason: string }> {
  const [[current], [manual]] = await Promise.all([
    tx
      .select()
      .from(panelPorts)
      .where(and(eq(panelPorts.switchId, claim.switchId), eq(panelPorts.interface, claim.interface))),
    tx
      .select()
      .from(switchPortBindings)
      .where(and(eq(switchPortBindings.switchId, claim.switchId), eq(switchPortBindings.interface, claim.interface))),
  ]);
  let reason: string | null = null;
  if (current && current.serverId !== claim.serverId) reason = `Tenantos moves ${claim.interface} from server ${current.serverId} to server ${claim.serverId}`;
  else if (!current && manual && (manual.bindings as Binding[]).length > 0)
    reason = `Tenantos puts server ${claim.serverId} on ${claim.interface}, which holds hand-made bindings`;
  if (!reason) return { isHeld: false };
  const pending = await tx
    .select({ id: pendingChanges.id, payload: pendingChanges.payload })
    .from(pendingChanges)
    .where(and(eq(pendingChanges.kind, "panel_port"), eq(pendingChanges.status, "pending")));
  const isAsked = pending.some((p) => {
    const c = p.payload as PanelPortClaim;
    return c.switchId === claim.switchId && c.interface === claim.interface && c.serverId === claim.serverId;
  });
  if (!isAsked) {
    // The exact bindings it removes need the panel's facts (no network call here): the queue computes them when shown.
    const [row] = await tx
      .insert(pendingChanges)
      .values({ kind: "panel_port", payload: claim, summary: `${reason}: waiting for a second admin`, requestedBy: TENANTOS.id, stateDigest: null })
      .returning();
    await writeAudit(tx, TENANTOS, {
      action: "approval.requested",
      entityType: "pending_change",
      entityId: String(row!.id),
      after: { kind: "panel_port", reason },
    });
  }
  return { isHeld: true, reason: `${reason}: it waits for a second admin on /it/approvals` };
}
