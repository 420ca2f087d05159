import { eq } from "drizzle-orm";
import { panelPorts, switches, type SwitchRow } from "@/drizzle/schema";
import { parseInterfaceName } from "@/lib/junos/values";
import { findUnmetRequirement } from "@/lib/port-security/rules";
import { TenantosError, type TenantosServer } from "@/server/connectors/tenantos/client";
import type { DbOrTx, Tx } from "@/server/db/client";
import type { PanelDeps } from "./panel-facts";
import { enqueueReconcile, markPortsDirty } from "./switches";

export type ServerPort =
  | { isFound: true; server: TenantosServer; switch: SwitchRow; interface: string; kind: "dedicated" | "vm-node"; proxmoxNode: string | null }
  | { isFound: false; reason: string };

/**
 * Where a Tenantos server hangs and whether we may automate it: its snmp_switch connection, the
 * switch registered here under that Tenantos device, the automation requirements, and whether it
 * is a Proxmox node (same short hostname). Reads only; callers decide what to write.
 */
export async function findServerPort(db: DbOrTx, panel: PanelDeps | undefined, serverId: number): Promise<ServerPort> {
  if (!panel) return { isFound: false, reason: "Tenantos is not configured (Settings → Connections)" };
  let server: TenantosServer;
  try {
    server = await panel.tenantos.getServer(serverId);
  } catch (e) {
    if (e instanceof TenantosError && e.kind === "not-found") return { isFound: false, reason: `server ${serverId} does not exist in Tenantos` };
    throw e;
  }
  const [conn] = await panel.tenantos.getSwitchConnections(serverId);
  const [sw] = conn ? await db.select().from(switches).where(eq(switches.tenantosDeviceId, conn.switchId)) : [];
  const unmet = findUnmetRequirement({
    hasEventToken: true,
    hasSwitchConnection: Boolean(conn),
    isSwitchAutomationOn: Boolean(conn?.isSwitchAutomationOn),
    hasSwitchCredentials: Boolean(sw && (sw.passwordSealed || sw.privateKeySealed)),
  });
  if (unmet) return { isFound: false, reason: sw || !conn ? unmet : `switch ${conn.switchId} of Tenantos is not registered here: ${unmet}` };
  let iface: string;
  try {
    iface = parseInterfaceName(conn!.portName);
  } catch (e) {
    return { isFound: false, reason: (e as Error).message };
  }
  const node = panel.proxmox ? (await panel.proxmox.listNodes()).find((n) => n.node === shortHostname(server.hostname)) : undefined;
  return { isFound: true, server, switch: sw!, interface: iface, kind: node ? "vm-node" : "dedicated", proxmoxNode: node?.node ?? null };
}

type FoundPort = Extract<ServerPort, { isFound: true }>;

/** Remembers a found port as panel-managed; the caller owns the transaction. */
export async function rememberServerPort(db: DbOrTx, serverId: number, found: FoundPort): Promise<void> {
  const row = { switchId: found.switch.id, interface: found.interface, serverId, kind: found.kind, proxmoxNode: found.proxmoxNode, updatedAt: new Date() };
  await db.insert(panelPorts).values(row).onConflictDoUpdate({ target: [panelPorts.switchId, panelPorts.interface], set: row });
}

/** A found port, remembered, marked dirty and its switch's run queued, in the caller's transaction. */
export async function requestServerPortPush(tx: Tx, serverId: number, found: FoundPort, trigger: string, gatherMs?: number): Promise<number> {
  await rememberServerPort(tx, serverId, found);
  await markPortsDirty(tx, found.switch.id, [found.interface]);
  return enqueueReconcile(tx, found.switch.id, trigger, gatherMs);
}

/** A Proxmox node is the Tenantos server whose hostname starts with the node's name. */
export function shortHostname(hostname: string): string {
  return hostname.split(".")[0]!.toLowerCase();
}
