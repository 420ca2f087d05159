import { and, eq, isNull } from "drizzle-orm";
import { switches, vmacs, type PanelPortRow } from "@/drizzle/schema";
import { buildServerPortDescription } from "@/lib/port-security/description";
import {
  computeDedicatedPlan,
  computeUplinkPlan,
  resolveGuestOwners,
  type DedicatedIp,
  type LeftOut,
  type PortPlanResult,
  type VmLink,
} from "@/lib/port-security/plan";
import type { VlanNamer } from "@/lib/port-security/rules";
import { TenantosError, type TenantosServer } from "@/server/connectors/tenantos/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { DbOrTx } from "@/server/db/client";
import { readIpamByVmid, readNodeServerIds, readVmLinks, type FactReader } from "./facts";

export type PanelPortPlan = PortPlanResult & {
  description?: string;
  /** The facts could not be had: the port is left as it is (never wiped for want of them). */
  unknownReason?: string;
  /** VM ↔ server links learned while planning; the push stores them, readers only show them. */
  learned: VmLink[];
};

const none = (leftOut: LeftOut[] = [], extra: Partial<PanelPortPlan> = {}): PanelPortPlan => ({ bindings: [], leftOut, flags: [], learned: [], ...extra });

/**
 * The plan of a panel-managed port from the facts as they are now: Tenantos for a dedicated server
 * (PXE MAC from its dhcp connection, IPs, each subnet's flat VLAN fields) plus our active VMACs; for
 * a Proxmox node's uplink, every guest on the node with the IPs Tenantos gives the server it is,
 * over the whole cluster's claims. VLANs are named as the switch names them. A failure to read a
 * fact throws (the caller leaves this port untouched and retries it; other ports proceed).
 */
export async function computePanelPortPlan(
  db: DbOrTx,
  panel: OutsideSystems,
  port: PanelPortRow,
  policy: PlanPolicy,
  facts: FactReader,
): Promise<PanelPortPlan> {
  const { allowlist } = policy;
  const [sw] = await db
    .select({ name: switches.name, vlanNames: switches.vlanNames, portVlanIds: switches.portVlanIds })
    .from(switches)
    .where(eq(switches.id, port.switchId));
  if (!sw?.vlanNames) return none([], { unknownReason: "the switch's VLAN names are not known yet (no backup): left untouched until its first backup" });
  const vlanNames = sw.vlanNames;
  const name: VlanNamer = (id) => vlanNames[String(id)];
  let server: TenantosServer;
  try {
    server = await panel.tenantos.getServer(port.serverId);
  } catch (e) {
    // A server deleted in Tenantos keeps nothing on its port.
    if (e instanceof TenantosError && e.kind === "not-found")
      return none([{ subject: `server ${port.serverId}`, rule: "not-assigned", reason: "no longer in Tenantos: port wiped" }]);
    if (e instanceof TenantosError && e.kind === "shape") return none([], { unknownReason: e.message });
    throw e;
  }
  // The port names the server it serves, as provisioning sets it and every push keeps it.
  const description = buildServerPortDescription(server);
  try {
    if (port.kind === "vm-node") {
      if (!panel.proxmox || !port.proxmoxNode) return none([], { unknownReason: "Proxmox is not configured: the node's VMs cannot be read", description });
      return { ...(await planNodeUplink(db, panel, port.proxmoxNode, server.id, policy, name, facts)), description };
    }
    const [assignments, connections] = await Promise.all([facts.assignmentsOf(port.serverId), panel.tenantos.getServerConnections(port.serverId)]);
    const portVlans = sw.portVlanIds?.[port.interface] ?? [];
    const fact = async (ip: string, a: Parameters<FactReader["resolveVlan"]>[0]): Promise<DedicatedIp> => ({ ip, vlan: await facts.resolveVlan(a, portVlans) });
    // Primary: the assignment flagged `primary_ip`, else the server's `primaryip`.
    const primaryAssignment = assignments.find((a) => a.isPrimary) ?? assignments.find((a) => a.ip === server.primaryIp);
    if (!primaryAssignment)
      return none([{ subject: `server ${port.serverId}`, rule: "no-ip", reason: "has no primary IP in Tenantos (primary_ip / primaryip)" }], { description });
    const primary = await fact(primaryAssignment.ip, primaryAssignment);
    const additional: DedicatedIp[] = [];
    for (const a of assignments) if (a !== primaryAssignment) additional.push(await fact(a.ip, a));
    const active = await db
      .select({ ip: vmacs.ip, mac: vmacs.mac })
      .from(vmacs)
      .where(and(eq(vmacs.serverId, port.serverId), isNull(vmacs.releasedAt)));
    // A Proxmox guest configured with one of this server's addresses claims it too.
    const otherClaims = new Map<string, string[]>();
    for (const g of await facts.clusterGuests())
      for (const n of g.nics)
        for (const ip of n.configIps)
          if (assignments.some((a) => a.ip === ip)) otherClaims.set(ip, [...(otherClaims.get(ip) ?? []), `VM ${g.vmid} (${g.name}) on ${g.node} ${n.name}`]);
    // Tenantos's own word on who holds each address: a second server assigned it claims it too.
    const holders = new Map<string, number | null>();
    for (const a of assignments) holders.set(a.ip, (await facts.ownerOf(a.ip))?.id ?? null);
    const plan = computeDedicatedPlan(
      {
        serverId: port.serverId,
        pxeMac: connections.pxeMac ?? undefined,
        primary,
        additional,
        vmacs: new Map(active.map((v) => [v.ip, v.mac])),
        otherClaims,
        holders,
      },
      allowlist,
      name,
    );
    return { ...plan, learned: [], description };
  } catch (e) {
    // A panel answer we cannot read (a field missing or mistyped) says which; the port is left as it is.
    if (e instanceof TenantosError && e.kind === "shape") return none([], { unknownReason: e.message, description });
    throw e;
  }
}

/** The settings a plan follows: the VLAN allowlist, and whether VMs Tenantos does not know are bound. */
export interface PlanPolicy {
  allowlist: readonly number[];
  isUnknownVmBound: boolean;
}

/** A node's uplink, planned over the cluster: guests anywhere, stored links, Tenantos's holders. */
async function planNodeUplink(
  db: DbOrTx,
  panel: OutsideSystems,
  node: string,
  nodeServerId: number,
  { allowlist, isUnknownVmBound }: PlanPolicy,
  name: VlanNamer,
  facts: FactReader,
): Promise<Omit<PanelPortPlan, "description">> {
  const all = await facts.clusterGuests();
  const here = await Promise.all(all.filter((g) => g.node === node).map((g) => facts.withAgentIps(g)));
  const guests = [...all.filter((g) => g.node !== node), ...here];
  const [links, nodeServerIds, ipam, nodeAssignments] = await Promise.all([
    readVmLinks(db),
    readNodeServerIds(db),
    readIpamByVmid(
      db,
      here.map((g) => g.vmid),
    ),
    facts.assignmentsOf(nodeServerId),
  ]);
  nodeServerIds.add(nodeServerId);
  // Tenantos's holder of every address configured on a guest anywhere in the cluster (asked once
  // per run; getByIp answers IPv4 only): a link is learned only when no other guest could be it.
  const holders = new Map<string, number | null>();
  for (const ip of new Set(guests.flatMap((g) => g.nics.flatMap((n) => n.configIps)))) holders.set(ip, (await facts.ownerOf(ip))?.id ?? null);
  const { owners, learned } = resolveGuestOwners({ guests, links, holders, nodeServerIds });
  const assignments = new Map<number, string[]>();
  for (const g of here) {
    const owner = owners.get(g.vmid);
    if (owner == null || assignments.has(owner)) continue;
    try {
      assignments.set(
        owner,
        (await facts.assignmentsOf(owner)).map((a) => a.ip),
      );
    } catch (e) {
      // A linked server deleted in Tenantos assigns nothing: its guest's addresses are left out, and
      // the rest of the uplink is planned (a vanished server must not hold up the node's other VMs).
      if (!(e instanceof TenantosError && e.kind === "not-found")) throw e;
      assignments.set(owner, []);
    }
  }
  const plan = computeUplinkPlan(
    {
      node,
      nodeServer: { id: nodeServerId, ips: nodeAssignments.map((a) => a.ip) },
      guests,
      links,
      holders,
      nodeServerIds,
      owners,
      assignments,
      ipam,
      untaggedVlanId: panel.untaggedVlanId,
      isUnknownVmBound,
    },
    allowlist,
    name,
  );
  return { ...plan, learned: learned.filter((l) => here.some((g) => g.vmid === l.vmid)) };
}
