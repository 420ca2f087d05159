import { and, eq, isNull } from "drizzle-orm";
import { vmacs, type PanelPortRow } from "@/drizzle/schema";
import { buildServerPortDescription } from "@/lib/port-security/description";
import { computeDedicatedBindings, computeVmNodeBindings, type BindingsResult, type IpFact } from "@/lib/port-security/rules";
import type { ProxmoxClient } from "@/server/connectors/proxmox/client";
import { collectNodeVmFacts } from "@/server/connectors/proxmox/node-facts";
import { TenantosError, type TenantosClient } from "@/server/connectors/tenantos/client";
import type { DbOrTx } from "@/server/db/client";

/** The panel side's connectors, as configured; tests hand in clients pointed at the lab. */
export interface PanelDeps {
  tenantos: TenantosClient;
  proxmox?: ProxmoxClient;
  /** The VLAN untagged VM traffic is on (today's flat VLAN 11). */
  untaggedVlanId: number;
}

/**
 * The bindings a panel-managed port should hold, from the facts as they are now: Tenantos for a
 * dedicated server (PXE MAC, IPs, subnets' VLANs) plus our active VMACs; Proxmox for a node's VMs.
 */
export async function computePanelPortBindings(db: DbOrTx, panel: PanelDeps, port: PanelPortRow, allowlist: readonly number[]): Promise<BindingsResult & { description?: string }> {
  let server;
  try {
    server = await panel.tenantos.getServer(port.serverId);
  } catch (e) {
    // A server deleted in Tenantos keeps nothing on its port.
    if (e instanceof TenantosError && e.kind === "not-found") return { bindings: [], skipped: [{ subject: `server ${port.serverId}`, reason: "no longer in Tenantos: port wiped" }] };
    throw e;
  }
  // The port names the server it serves, as provisioning sets it and every push keeps it.
  const description = buildServerPortDescription(server);
  if (port.kind === "vm-node") {
    if (!panel.proxmox || !port.proxmoxNode) return { bindings: [], skipped: [{ subject: port.interface, reason: "Proxmox is not configured: the node's VMs cannot be read" }] };
    return { ...computeVmNodeBindings(await collectNodeVmFacts(panel.proxmox, port.proxmoxNode), allowlist, panel.untaggedVlanId), description };
  }
  const assignments = await panel.tenantos.getIpAssignments(port.serverId);
  const vlanBySubnet = new Map<number, number | null>();
  for (const a of assignments) if (!vlanBySubnet.has(a.subnetId)) vlanBySubnet.set(a.subnetId, await panel.tenantos.getSubnetVlan(a.subnetId));
  const fact = (a: (typeof assignments)[number]): IpFact => ({ ip: a.ip, vlanId: vlanBySubnet.get(a.subnetId) ?? panel.untaggedVlanId });
  const primary = assignments.find((a) => a.isPrimary) ?? assignments.find((a) => a.ip === server.primaryIp);
  if (!primary) return { bindings: [], skipped: [{ subject: `server ${port.serverId}`, reason: "has no primary IP in Tenantos" }], description };
  const active = await db.select({ ip: vmacs.ip, mac: vmacs.mac }).from(vmacs).where(and(eq(vmacs.serverId, port.serverId), isNull(vmacs.releasedAt)));
  const result = computeDedicatedBindings(
    { serverId: port.serverId, pxeMac: server.pxeMac ?? "", primary: fact(primary), additional: assignments.filter((a) => a !== primary).map(fact) },
    new Map(active.map((v) => [v.ip, v.mac])),
    allowlist,
  );
  return { ...result, description };
}
