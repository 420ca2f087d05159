import { eq } from "drizzle-orm";
import { panelPorts, proxmoxNodeServers, proxmoxVmLinks, switches, type SwitchRow } from "@/drizzle/schema";
import { parseInterfaceName } from "@/lib/junos/values";
import type { Skip } from "@/lib/port-security/rules";
import { collectNodeVmFacts } from "@/server/connectors/proxmox/node-facts";
import { TenantosError, type TenantosServer } from "@/server/connectors/tenantos/client";
import type { DbOrTx, Tx } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { requestPortsPush } from "../switches/switches";
import { holdPortClaimIfTaking } from "../platform/port-moves";
import { rememberTenantosServers } from "./tenantos-servers";

export interface FoundPort {
  switch: SwitchRow;
  interface: string;
  kind: "dedicated" | "vm-node";
  proxmoxNode: string | null;
}

export type ServerPorts =
  | {
      isFound: true;
      server: TenantosServer;
      /** Every port to bind: a bonded server hangs on several (each snmp_switch connection). */
      ports: FoundPort[];
      /** The server's connections that cannot be automated, with why. */
      skipped: Skip[];
      /** The Tenantos server whose ports these are (a VM's node), when not the server asked about. */
      portsOf: { serverId: number; why: string } | null;
    }
  | { isFound: false; reason: string };

/**
 * Where a Tenantos server hangs and whether we may automate it. Each `snmp_switch` connection
 * (`related_data.meta.switchId/portId`, GET /api/servers/{id}/connections) is a port, named by
 * the network device's `ports[].id → name` (GET /api/networkDevices/{id}/extendedDetails), on a
 * switch registered here under that device id, with `meta.switchAutomation` on and credentials
 * here. A server without one may be a VM: it is traced to its Proxmox node (a guest configured
 * with one of its IPs), and the node's Tenantos server (mapped by an admin) gives the ports. Reads
 * only; callers decide what to write.
 */
export async function findServerPorts(db: DbOrTx, panel: OutsideSystems | undefined, serverId: number, depth = 0): Promise<ServerPorts> {
  if (!panel) return { isFound: false, reason: "Tenantos is not configured (Settings → Connections)" };
  let server: TenantosServer;
  try {
    server = await panel.tenantos.getServer(serverId);
  } catch (e) {
    if (e instanceof TenantosError && e.kind === "not-found") return { isFound: false, reason: `server ${serverId} does not exist in Tenantos` };
    if (e instanceof TenantosError && e.kind === "shape") return { isFound: false, reason: e.message };
    throw e;
  }
  let connections;
  try {
    connections = await panel.tenantos.getServerConnections(serverId);
  } catch (e) {
    if (e instanceof TenantosError && e.kind === "shape") return { isFound: false, reason: e.message };
    throw e;
  }
  const [mapping] = await db.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.tenantosServerId, serverId));
  if (connections.switchPorts.length === 0) {
    const noConnection = `the server has no snmp_switch connection in Tenantos (GET /api/servers/${serverId}/connections)`;
    if (depth > 0 || mapping) return { isFound: false, reason: noConnection };
    const vm = await traceVmToNode(db, panel, serverId, server);
    if ("reason" in vm) return { isFound: false, reason: `${noConnection}, and ${vm.reason}` };
    const viaNode = await findServerPorts(db, panel, vm.nodeServerId, depth + 1);
    if (!viaNode.isFound) return { isFound: false, reason: `VM ${vm.vmid} runs on node ${vm.node} (Tenantos server ${vm.nodeServerId}): ${viaNode.reason}` };
    return { ...viaNode, server, portsOf: { serverId: vm.nodeServerId, why: `VM ${vm.vmid} (${vm.name}) runs on Proxmox node ${vm.node}` } };
  }
  const ports: FoundPort[] = [];
  const skipped: Skip[] = [];
  const deviceNames = new Map<number, Promise<Map<number, string>>>();
  for (const sp of connections.switchPorts) {
    const subject = `snmp_switch connection ${sp.connectionId} (device ${sp.switchId}, port id ${sp.portId})`;
    if (sp.isSwitchAutomationOn === undefined) {
      skipped.push({ subject, reason: `related_data.meta.switchAutomation is missing (GET /api/servers/${serverId}/connections)` });
      continue;
    }
    if (!sp.isSwitchAutomationOn) {
      skipped.push({ subject, reason: "related_data.meta.switchAutomation is off for this switch connection" });
      continue;
    }
    const [sw] = await db.select().from(switches).where(eq(switches.tenantosDeviceId, sp.switchId));
    if (!sw) {
      skipped.push({ subject, reason: `Tenantos network device ${sp.switchId} is not registered here as a switch` });
      continue;
    }
    // Switch credentials: Tenantos's documented API exposes none for network devices, so ours are the only source.
    if (!sw.passwordSealed && !sw.privateKeySealed) {
      skipped.push({ subject, reason: `switch ${sw.name} has no credentials here (local credentials; Tenantos's API exposes none)` });
      continue;
    }
    if (!deviceNames.has(sp.switchId)) deviceNames.set(sp.switchId, panel.tenantos.getNetworkDevicePorts(sp.switchId));
    let portName: string | undefined;
    try {
      portName = (await deviceNames.get(sp.switchId)!).get(sp.portId);
    } catch (e) {
      if (!(e instanceof TenantosError) || (e.kind !== "shape" && e.kind !== "not-found")) throw e;
      skipped.push({ subject, reason: e.message });
      continue;
    }
    if (!portName) {
      skipped.push({
        subject,
        reason: `port id ${sp.portId} is not among network device ${sp.switchId}'s ports (GET /api/networkDevices/${sp.switchId}/extendedDetails)`,
      });
      continue;
    }
    try {
      ports.push({ switch: sw, interface: parseInterfaceName(portName), kind: mapping ? "vm-node" : "dedicated", proxmoxNode: mapping?.node ?? null });
    } catch (e) {
      skipped.push({ subject, reason: (e as Error).message });
    }
  }
  if (ports.length === 0) return { isFound: false, reason: skipped.map((s) => `${s.subject}: ${s.reason}`).join("; ") };
  return { isFound: true, server, ports, skipped, portsOf: null };
}

/**
 * A VM server's node: the guest stored as this server (its link, kept once learned or confirmed:
 * removing its primary address in Tenantos does not make it a stranger), else the Proxmox guest
 * configured with one of its Tenantos IPs (config, never the guest's agent).
 */
async function traceVmToNode(
  db: DbOrTx,
  panel: OutsideSystems,
  serverId: number,
  server: TenantosServer,
): Promise<{ vmid: number; name: string; node: string; nodeServerId: number } | { reason: string }> {
  if (!panel.proxmox) return { reason: "Proxmox is not configured, so it cannot be traced to a node as a VM" };
  const [link] = await db.select().from(proxmoxVmLinks).where(eq(proxmoxVmLinks.tenantosServerId, serverId));
  if (link) {
    const guest = (await panel.proxmox.listGuests()).find((g) => g.vmid === link.vmid);
    if (guest) {
      const [mapping] = await db.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, guest.node));
      if (!mapping)
        return { reason: `it is VM ${guest.vmid} on Proxmox node ${guest.node}, which is not mapped to a Tenantos server (confirm it on /it/proxmox)` };
      return { vmid: guest.vmid, name: guest.name, node: guest.node, nodeServerId: mapping.tenantosServerId };
    }
  }
  const ips = new Set([...(await panel.tenantos.getIpAssignments(serverId)).map((a) => a.ip), ...(server.primaryIp ? [server.primaryIp] : [])]);
  if (ips.size === 0) return { reason: "it has no IP to find it by in Proxmox" };
  for (const n of await panel.proxmox.listNodes()) {
    const vm = (await collectNodeVmFacts(panel.proxmox, n.node)).find((v) => v.nics.some((nic) => nic.configIps.some((ip) => ips.has(ip))));
    if (!vm) continue;
    const [mapping] = await db.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, n.node));
    if (!mapping) return { reason: `it is VM ${vm.vmid} on Proxmox node ${n.node}, which is not mapped to a Tenantos server (confirm it on /it/proxmox)` };
    return { vmid: vm.vmid, name: vm.name, node: n.node, nodeServerId: mapping.tenantosServerId };
  }
  return { reason: `no Proxmox guest is configured with any of its IPs (${[...ips].join(", ")})` };
}

type Found = Extract<ServerPorts, { isFound: true }>;

/**
 * Remembers found ports as panel-managed, under the server whose ports they are; the caller owns the
 * transaction. A port Tenantos's data moves from another server, or puts onto hand-made bindings,
 * is not taken: it waits for a second admin (platform/port-moves) and is returned as held.
 */
export async function rememberServerPorts(
  db: DbOrTx,
  found: Found,
): Promise<{ remembered: Found["ports"]; held: Array<{ interface: string; reason: string }> }> {
  const serverId = found.portsOf?.serverId ?? found.server.id;
  // The server's names as just read (search finds it by its hostname).
  await rememberTenantosServers(db, [found.server]);
  const remembered: Found["ports"] = [];
  const held: Array<{ interface: string; reason: string }> = [];
  for (const p of found.ports) {
    const row = { switchId: p.switch.id, interface: p.interface, serverId, kind: p.kind, proxmoxNode: p.proxmoxNode, updatedAt: new Date() };
    const hold = await db.transaction((tx) => holdPortClaimIfTaking(tx, row));
    if (hold.isHeld) {
      held.push({ interface: `${p.switch.name} ${p.interface}`, reason: hold.reason });
      continue;
    }
    await db
      .insert(panelPorts)
      .values(row)
      .onConflictDoUpdate({ target: [panelPorts.switchId, panelPorts.interface], set: row });
    remembered.push(p);
  }
  return { remembered, held };
}

/** Found ports remembered, marked dirty and their switches' runs queued, in the caller's transaction. */
export async function requestServerPortsPush(
  tx: Tx,
  found: Found,
  trigger: string,
  gatherMs?: number,
): Promise<Array<{ switchId: number; interface: string; jobId: number }>> {
  const { remembered } = await rememberServerPorts(tx, found);
  const ports = remembered.map((p) => ({ switchId: p.switch.id, interface: p.interface }));
  const jobIds = await requestPortsPush(tx, ports, trigger, gatherMs);
  return ports.map((p) => ({ ...p, jobId: jobIds.get(p.switchId)! }));
}
