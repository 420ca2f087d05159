import { and, eq, inArray } from "drizzle-orm";
import { ipamAddresses, proxmoxNodeServers, proxmoxVmLinks } from "@/drizzle/schema";
import { parseGuestNics } from "@/lib/inventory/guest-config";
import type { ClusterGuest, VmLink } from "@/lib/port-security/plan";
import type { ProxmoxGuest } from "@/server/connectors/proxmox/client";
import type { TenantosIpAssignment, TenantosServer, TenantosSubnet } from "@/server/connectors/tenantos/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { DbOrTx } from "@/server/db/client";

// The fact readers under the plan: Tenantos, Proxmox, stored VM links and IPAM, each asked once per
// run (one reconcile, one preview, one "why") and shared by every port the run plans.

export type FactReader = ReturnType<typeof createFactReader>;

function isHostAddress(ip: string): boolean {
  return !(ip.startsWith("127.") || ip === "::1" || ip.toLowerCase().startsWith("fe80:"));
}

export function createFactReader(panel: OutsideSystems) {
  let subnets: Promise<TenantosSubnet[]> | undefined;
  let guests: Promise<Array<ClusterGuest & { guest: ProxmoxGuest }>> | undefined;
  const owners = new Map<string, Promise<TenantosServer | null>>();
  const assignments = new Map<number, Promise<TenantosIpAssignment[]>>();
  const agents = new Map<number, Promise<Array<{ mac?: string; ips: string[] }>>>();
  return {
    /**
     * An IP's VLAN from its subnet's flat fields: `static_access_vlan_id` in fixed mode; in range
     * mode the VLAN the port was given, as the switch's configuration shows it. Never defaulted.
     */
    async resolveVlan(a: TenantosIpAssignment, portVlans: number[]): Promise<{ vlanId: number } | { reason: string }> {
      subnets ??= panel.tenantos.listSubnets();
      const cidr = `${a.subnet.network}/${a.subnet.cidr}`;
      // subnetinformation has no id (documented example): found by network and length, or by its root.
      const all = await subnets;
      const sn = all.find((s) => s.network === a.subnet.network && s.cidr === a.subnet.cidr) ?? all.find((s) => s.id === a.subnet.rootSubnetId);
      if (!sn) return { reason: `its subnet ${cidr} is not among Tenantos's subnets (GET /api/subnets): VLAN unknown` };
      if (sn.isSwitchAutomationOn === undefined) return { reason: `subnet ${cidr} has no enable_switch_automation field` };
      if (!sn.isSwitchAutomationOn) return { reason: `enable_switch_automation is off for subnet ${cidr}` };
      if (sn.vlanGenerationMode === "fixed")
        return sn.staticAccessVlanId ? { vlanId: sn.staticAccessVlanId } : { reason: `subnet ${cidr} is in fixed VLAN mode with no static_access_vlan_id` };
      if (sn.vlanGenerationMode === "range") {
        if (portVlans.length === 1) return { vlanId: portVlans[0]! };
        return {
          reason: `subnet ${cidr} gives VLANs per port (range mode), and the switch shows ${portVlans.length ? `several access VLANs (${portVlans.join(", ")})` : "no access VLAN"} on this port`,
        };
      }
      return { reason: `subnet ${cidr} has no access_vlan_generation_mode: VLAN unknown` };
    },
    ownerOf(ip: string): Promise<TenantosServer | null> {
      if (!owners.has(ip)) owners.set(ip, panel.tenantos.getServerByIp(ip));
      return owners.get(ip)!;
    },
    assignmentsOf(serverId: number): Promise<TenantosIpAssignment[]> {
      if (!assignments.has(serverId)) assignments.set(serverId, panel.tenantos.getIpAssignments(serverId));
      return assignments.get(serverId)!;
    },
    /**
     * Every guest of the cluster with its NICs from its config (`netN`, `ipconfigN`, LXC `ip=`):
     * a duplicate on another node is still a duplicate. Agent addresses are read per node, below.
     */
    clusterGuests(): Promise<Array<ClusterGuest & { guest: ProxmoxGuest }>> {
      const pve = panel.proxmox;
      if (!pve) return Promise.resolve([]);
      guests ??= pve.listGuests().then((all) =>
        Promise.all(
          all.map(async (g) => {
            const nics = parseGuestNics(await pve.getGuestConfig(g));
            return {
              vmid: g.vmid,
              name: g.name,
              node: g.node,
              guest: g,
              nics: nics
                .filter((n) => n.mac)
                .map((n) => ({ name: `net${n.index}`, mac: n.mac!, vlanId: n.vlanTag, configIps: n.ips, agentIps: [] as string[] })),
            };
          }),
        ),
      );
      return guests;
    },
    /** The guest's agent addresses for its NICs that the config gives none (never trusted alone). */
    async withAgentIps(g: ClusterGuest & { guest: ProxmoxGuest }): Promise<ClusterGuest> {
      if (!panel.proxmox || !g.nics.some((n) => n.configIps.length === 0)) return g;
      if (!agents.has(g.vmid)) agents.set(g.vmid, panel.proxmox.getGuestAddresses(g.guest));
      const live = await agents.get(g.vmid)!;
      return {
        ...g,
        nics: g.nics.map((n) => (n.configIps.length ? n : { ...n, agentIps: (live.find((l) => l.mac === n.mac)?.ips ?? []).filter(isHostAddress) })),
      };
    },
  };
}

/** Stored VM ↔ Tenantos server links, by VMID. */
export async function readVmLinks(db: DbOrTx): Promise<Map<number, VmLink>> {
  const rows = await db.select().from(proxmoxVmLinks);
  return new Map(rows.map((r) => [r.vmid, { vmid: r.vmid, serverId: r.tenantosServerId, mac: r.mac }]));
}

/** Keeps links the plan learned (first learned wins: a later claim never moves a VM's identity). */
export async function storeLearnedVmLinks(db: DbOrTx, learned: readonly VmLink[]): Promise<void> {
  if (learned.length === 0) return;
  await db
    .insert(proxmoxVmLinks)
    .values(learned.map((l) => ({ vmid: l.vmid, tenantosServerId: l.serverId, mac: l.mac, how: "learned" as const })))
    .onConflictDoNothing();
}

export async function readNodeServerIds(db: DbOrTx): Promise<Set<number>> {
  return new Set((await db.select({ id: proxmoxNodeServers.tenantosServerId }).from(proxmoxNodeServers)).map((r) => r.id));
}

/** IPs IPAM records as active per VMID. */
export async function readIpamByVmid(db: DbOrTx, vmids: number[]): Promise<Map<number, string[]>> {
  if (vmids.length === 0) return new Map();
  const rows = await db
    .select({ ip: ipamAddresses.address, vmid: ipamAddresses.vmid })
    .from(ipamAddresses)
    .where(and(inArray(ipamAddresses.vmid, vmids), eq(ipamAddresses.status, "active")));
  const out = new Map<number, string[]>();
  for (const r of rows) if (r.vmid !== null) out.set(r.vmid, [...(out.get(r.vmid) ?? []), String(r.ip).replace(/\/\d+$/, "")]);
  return out;
}
