import { and, eq, inArray, isNull } from "drizzle-orm";
import { ipamAddresses, switches, vmacs, type PanelPortRow } from "@/drizzle/schema";
import { buildServerPortDescription } from "@/lib/port-security/description";
import {
  computeDedicatedBindings,
  computeUplinkBindings,
  type BindingsResult,
  type IpFact,
  type Skip,
  type UplinkVm,
  type VlanNamer,
} from "@/lib/port-security/rules";
import type { ProxmoxClient } from "@/server/connectors/proxmox/client";
import { collectNodeVmFacts } from "@/server/connectors/proxmox/node-facts";
import { TenantosError, type TenantosIpAssignment, type TenantosServer, type TenantosSubnet } from "@/server/connectors/tenantos/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { DbOrTx } from "@/server/db/client";

export type PanelPortBindings = BindingsResult & { description?: string; unknownReason?: string };

/**
 * The bindings a panel-managed port should hold, from the facts as they are now: Tenantos for a
 * dedicated server (PXE MAC from its dhcp connection, IPs, each subnet's flat VLAN fields) plus
 * our active VMACs; for a Proxmox node's uplink, every VM on the node with the IPs Tenantos gives
 * it. VLANs are named as the switch names them. `unknownReason`: the facts could not be read, and
 * the port must be left as it is (never wiped for want of them).
 */
export async function computePanelPortBindings(
  db: DbOrTx,
  panel: OutsideSystems,
  port: PanelPortRow,
  allowlist: readonly number[],
  /** Shared by every port of one run, so the subnets and owners are asked once. */
  facts: FactReader = createFactReader(panel),
): Promise<PanelPortBindings> {
  const [sw] = await db
    .select({ name: switches.name, vlanNames: switches.vlanNames, portVlanIds: switches.portVlanIds })
    .from(switches)
    .where(eq(switches.id, port.switchId));
  if (!sw?.vlanNames)
    return { bindings: [], skipped: [], unknownReason: "the switch's VLAN names are not known yet (no backup): left untouched until its first backup" };
  const vlanNames = sw.vlanNames;
  const name: VlanNamer = (id) => vlanNames[String(id)];
  let server: TenantosServer;
  try {
    server = await panel.tenantos.getServer(port.serverId);
  } catch (e) {
    // A server deleted in Tenantos keeps nothing on its port.
    if (e instanceof TenantosError && e.kind === "not-found")
      return { bindings: [], skipped: [{ subject: `server ${port.serverId}`, reason: "no longer in Tenantos: port wiped" }] };
    if (e instanceof TenantosError && e.kind === "shape") return { bindings: [], skipped: [], unknownReason: e.message };
    throw e;
  }
  // The port names the server it serves, as provisioning sets it and every push keeps it.
  const description = buildServerPortDescription(server);
  try {
    if (port.kind === "vm-node") {
      if (!panel.proxmox || !port.proxmoxNode)
        return { bindings: [], skipped: [], unknownReason: "Proxmox is not configured: the node's VMs cannot be read", description };
      return { ...(await computeNodeUplink(db, panel, panel.proxmox, port.proxmoxNode, server.id, allowlist, name, facts)), description };
    }
    const [assignments, connections] = await Promise.all([panel.tenantos.getIpAssignments(port.serverId), panel.tenantos.getServerConnections(port.serverId)]);
    const skipped: Skip[] = [];
    const portVlans = sw.portVlanIds?.[port.interface] ?? [];
    const fact = async (a: TenantosIpAssignment): Promise<IpFact | undefined> => {
      const vlan = await facts.resolveVlan(a, portVlans);
      if ("reason" in vlan) return void skipped.push({ subject: a.ip, reason: vlan.reason });
      return { ip: a.ip, vlanId: vlan.vlanId };
    };
    // Primary: the assignment flagged `primary_ip`, else the server's `primaryip`.
    const primaryAssignment = assignments.find((a) => a.isPrimary) ?? assignments.find((a) => a.ip === server.primaryIp);
    if (!primaryAssignment)
      return { bindings: [], skipped: [{ subject: `server ${port.serverId}`, reason: "has no primary IP in Tenantos (primary_ip / primaryip)" }], description };
    const primary = await fact(primaryAssignment);
    const additional: IpFact[] = [];
    for (const a of assignments) if (a !== primaryAssignment) await fact(a).then((f) => f && additional.push(f));
    if (primary && !connections.pxeMac)
      skipped.push({
        subject: primary.ip,
        reason: `the server has no dhcp connection with related_data.meta.pxe_mac (GET /api/servers/${port.serverId}/connections)`,
      });
    const active = await db
      .select({ ip: vmacs.ip, mac: vmacs.mac })
      .from(vmacs)
      .where(and(eq(vmacs.serverId, port.serverId), isNull(vmacs.releasedAt)));
    const result = computeDedicatedBindings(
      { serverId: port.serverId, pxeMac: connections.pxeMac ?? "", primary: connections.pxeMac ? primary : undefined, additional },
      new Map(active.map((v) => [v.ip, v.mac])),
      allowlist,
      name,
    );
    return { bindings: result.bindings, skipped: [...skipped, ...result.skipped], description };
  } catch (e) {
    // A panel answer we cannot read (a field missing or mistyped) says which; the port is left as it is.
    if (e instanceof TenantosError && e.kind === "shape") return { bindings: [], skipped: [], unknownReason: e.message, description };
    throw e;
  }
}

export type FactReader = ReturnType<typeof createFactReader>;

/** Subnets and servers-by-IP asked once per run (one reconcile, one preview). */
export function createFactReader(panel: OutsideSystems) {
  let subnets: Promise<TenantosSubnet[]> | undefined;
  const owners = new Map<string, Promise<TenantosServer | null>>();
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
  };
}

/**
 * A node's uplink: every VM on it (Proxmox), each matched to the Tenantos server it is (by one of
 * its configured addresses, IPv4 as Tenantos's getByIp allows) whose IP assignments then decide
 * what it may hold; agent-reported addresses count only with IPAM's word for that VMID.
 */
async function computeNodeUplink(
  db: DbOrTx,
  panel: OutsideSystems,
  proxmox: ProxmoxClient,
  node: string,
  nodeServerId: number,
  allowlist: readonly number[],
  name: VlanNamer,
  facts: FactReader,
): Promise<Required<BindingsResult>> {
  const vms = await collectNodeVmFacts(proxmox, node);
  const ipam = vms.length
    ? await db
        .select({ ip: ipamAddresses.address, vmid: ipamAddresses.vmid })
        .from(ipamAddresses)
        .where(
          and(
            inArray(
              ipamAddresses.vmid,
              vms.map((v) => v.vmid),
            ),
            eq(ipamAddresses.status, "active"),
          ),
        )
    : [];
  const uplink: UplinkVm[] = [];
  for (const vm of vms) {
    let owner: UplinkVm["owner"] = null;
    for (const ip of vm.nics.flatMap((n) => n.configIps)) {
      const s = await facts.ownerOf(ip);
      // The node's own addresses belong to the node, not to a guest.
      if (s && s.id !== nodeServerId) {
        owner = { serverId: s.id, ips: (await panel.tenantos.getIpAssignments(s.id)).map((a) => a.ip) };
        break;
      }
    }
    uplink.push({ ...vm, owner, ipamIps: ipam.filter((a) => a.vmid === vm.vmid).map((a) => String(a.ip).replace(/\/\d+$/, "")) });
  }
  return computeUplinkBindings(uplink, allowlist, panel.untaggedVlanId, name);
}
