import { isVlanAllowed } from "../settings/vlan-allowlist";
import { parseBinding, type Binding } from "../junos/bindings";
import type { Skip, VlanNamer } from "./rules";

// The plan: for a port, the bindings it should hold, each with where it comes from, every
// candidate left out with the rule and the facts that left it out, and flags worth a look. Pure:
// a service gathers the facts (Tenantos, Proxmox, VMACs, IPAM, stored VM links) and every reader
// (the push, "why", the switch page, the preview, drift, Apply All) reads this one answer.

/** Where a desired binding comes from. */
export type BindingSource =
  /** A Tenantos assignment of server S, on its PXE MAC (the primary). */
  | { kind: "tenantos"; serverId: number }
  /** The VMAC of IP I (an additional IP of server S). */
  | { kind: "vmac"; serverId: number; ip: string }
  /** Proxmox `netN` of VMID V on node N; `serverId` is the Tenantos server it is, when known. */
  | { kind: "proxmox"; vmid: number; node: string; nic: string; serverId: number | null }
  /** Set by hand on the switch page. */
  | { kind: "manual" };

export type PlannedBinding = Binding & { source: BindingSource };

export type LeaveOutRule = "allowlist" | "no-mac" | "duplicate" | "not-assigned" | "agent-only" | "vlan" | "not-on-nic" | "node-address" | "no-ip" | "invalid";

/** A candidate left out: `subject` and `reason` as every skip says them, plus the rule and the IP. */
export interface LeftOut extends Skip {
  rule: LeaveOutRule;
  ip?: string;
  /** Everyone who claims the address, for a duplicate. */
  claimants?: string[];
}

export type FlagKind = "unknown-to-tenantos" | "claimed-twice" | "agent-only";
export interface PlanFlag extends Skip {
  kind: FlagKind;
  ip?: string;
}

export interface PortPlanResult {
  bindings: PlannedBinding[];
  leftOut: LeftOut[];
  flags: PlanFlag[];
}

export function describeSource(s: BindingSource): string {
  switch (s.kind) {
    case "tenantos":
      return `Tenantos assignment of server ${s.serverId} (PXE MAC)`;
    case "vmac":
      return `VMAC of ${s.ip} (server ${s.serverId})`;
    case "proxmox":
      return `Proxmox ${s.nic} of VMID ${s.vmid} on node ${s.node}${s.serverId !== null ? ` (Tenantos server ${s.serverId})` : " (not known to Tenantos)"}`;
    case "manual":
      return "manual";
  }
}

/** The plain binding a switch holds, without its provenance. */
export const toBinding = ({ ip, family, mac, vlan }: Binding): Binding => ({ ip, family, mac, vlan });

function bind(
  ip: string,
  mac: string,
  vlanId: number,
  name: VlanNamer,
  source: BindingSource,
  subject: string,
  leftOut: LeftOut[],
): PlannedBinding | undefined {
  const vlan = name(vlanId);
  if (vlan === undefined) {
    leftOut.push({
      subject,
      ip,
      rule: "vlan",
      reason: `VLAN ${vlanId} is not defined on the switch (no \`set vlans NAME vlan-id ${vlanId}\`): retried when a backup shows it`,
    });
    return undefined;
  }
  try {
    return { ...parseBinding({ ip, mac, vlan }), source };
  } catch (e) {
    leftOut.push({ subject, ip, rule: "invalid", reason: (e as Error).message });
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Dedicated servers

export interface DedicatedIp {
  ip: string;
  /** The VLAN from the subnet's fields, or why it cannot be known. */
  vlan: { vlanId: number } | { reason: string };
}

export interface DedicatedWorld {
  serverId: number;
  /** From the server's dhcp connection; undefined when it has none. */
  pxeMac: string | undefined;
  primary: DedicatedIp | undefined;
  additional: DedicatedIp[];
  /** Active VMACs of this server, by IP. */
  vmacs: ReadonlyMap<string, string>;
  /** Every other claimant of an address (a Proxmox guest configured with it). */
  otherClaims?: ReadonlyMap<string, string[]>;
  /** Tenantos's holder of each address (`getByIp`): another server holding it claims it too. */
  holders?: ReadonlyMap<string, number | null>;
}

/**
 * A dedicated server's port: the primary IP on its PXE MAC, each additional IP on its active VMAC.
 * An IP on a VLAN outside the allowlist, without a MAC, or claimed by someone else too is left out.
 */
export function computeDedicatedPlan(w: DedicatedWorld, allowlist: readonly number[], name: VlanNamer): PortPlanResult {
  const leftOut: LeftOut[] = [];
  const bindings: PlannedBinding[] = [];
  const consider = (fact: DedicatedIp, isPrimary: boolean) => {
    const subject = fact.ip;
    if ("reason" in fact.vlan) return leftOut.push({ subject, ip: fact.ip, rule: "vlan", reason: fact.vlan.reason });
    const vlanId = fact.vlan.vlanId;
    if (!isVlanAllowed(allowlist, vlanId)) return leftOut.push({ subject, ip: fact.ip, rule: "allowlist", reason: `VLAN ${vlanId} is not in the allowlist` });
    const holder = w.holders?.get(fact.ip);
    const others = [...(w.otherClaims?.get(fact.ip) ?? []), ...(typeof holder === "number" && holder !== w.serverId ? [`Tenantos server ${holder}`] : [])];
    if (others.length) {
      const claimants = [`server ${w.serverId}`, ...others];
      return leftOut.push({ subject, ip: fact.ip, rule: "duplicate", claimants, reason: `IP ${fact.ip} is claimed by ${claimants.join(" and ")}` });
    }
    const mac = isPrimary ? w.pxeMac : w.vmacs.get(fact.ip);
    if (!mac)
      return leftOut.push({
        subject,
        ip: fact.ip,
        rule: "no-mac",
        reason: isPrimary
          ? `the server has no dhcp connection with related_data.meta.pxe_mac (GET /api/servers/${w.serverId}/connections)`
          : "additional IP without an active VMAC",
      });
    const source: BindingSource = isPrimary ? { kind: "tenantos", serverId: w.serverId } : { kind: "vmac", serverId: w.serverId, ip: fact.ip };
    const b = bind(fact.ip, mac, vlanId, name, source, subject, leftOut);
    if (b) bindings.push(b);
  };
  if (w.primary) consider(w.primary, true);
  for (const extra of w.additional) consider(extra, false);
  return { bindings, leftOut, flags: [] };
}

// ---------------------------------------------------------------------------------------------
// Proxmox node uplinks, over the whole cluster

export interface ClusterNic {
  /** `net0`, `net1`, … as the guest config names it. */
  name: string;
  mac: string;
  vlanId: number | undefined;
  /** From the guest config (`ipconfigN`, LXC `ip=`): set by whoever runs the hypervisor. */
  configIps: string[];
  /** From the QEMU agent or LXC interfaces: reported by the guest itself, so never trusted alone. */
  agentIps: string[];
}

export interface ClusterGuest {
  vmid: number;
  name: string;
  node: string;
  nics: ClusterNic[];
}

/** The Tenantos server a VM is: stored once confirmed or learned, never re-derived per event. */
export interface VmLink {
  vmid: number;
  serverId: number;
  mac: string | null;
}

export interface OwnerFacts {
  guests: readonly ClusterGuest[];
  /** Stored links, by VMID. */
  links: ReadonlyMap<number, VmLink>;
  /** Tenantos's holder of an address (`getByIp`), for the addresses asked about; null: nobody. */
  holders: ReadonlyMap<string, number | null>;
  /** Tenantos servers that are Proxmox nodes: never a guest's owner. */
  nodeServerIds: ReadonlySet<number>;
}

const guestName = (g: Pick<ClusterGuest, "vmid" | "name" | "node">) => `VM ${g.vmid} (${g.name}) on ${g.node}`;
const configClaims = (guests: readonly ClusterGuest[]) => {
  const out = new Map<string, string[]>();
  for (const g of guests) for (const n of g.nics) for (const ip of new Set(n.configIps)) out.set(ip, [...(out.get(ip) ?? []), `${guestName(g)} ${n.name}`]);
  return out;
};

/**
 * Who each guest is in Tenantos. A stored link wins. Otherwise a link is learned when the guest's
 * config addresses point at exactly one Tenantos server (not a node, not linked to another VM) and
 * no other guest in the cluster is configured with any of those addresses or another of that
 * server's: a clone carrying its original's address teaches nothing. `holders` must cover every
 * guest's config addresses in the cluster. Learned links are returned for the caller to store.
 */
export function resolveGuestOwners(f: OwnerFacts): { owners: Map<number, number | null>; learned: VmLink[] } {
  const claims = configClaims(f.guests);
  const linkedServers = new Set([...f.links.values()].map((l) => l.serverId));
  const owners = new Map<number, number | null>();
  const learned: VmLink[] = [];
  for (const g of f.guests) {
    const link = f.links.get(g.vmid);
    if (link) {
      owners.set(g.vmid, link.serverId);
      continue;
    }
    const ips = g.nics.flatMap((n) => n.configIps);
    const holders = new Set(ips.map((ip) => f.holders.get(ip)).filter((h): h is number => typeof h === "number" && !f.nodeServerIds.has(h)));
    const [only] = holders;
    const isUnique = ips.every((ip) => (claims.get(ip)?.length ?? 0) <= 1);
    // Another guest configured with an address of the same server makes it ambiguous too.
    const isOnlyGuestOfServer = f.guests.every((o) => o.vmid === g.vmid || !o.nics.some((n) => n.configIps.some((ip) => f.holders.get(ip) === only)));
    if (holders.size === 1 && only !== undefined && !linkedServers.has(only) && isUnique && isOnlyGuestOfServer) {
      const nic = g.nics.find((n) => n.configIps.some((ip) => f.holders.get(ip) === only));
      owners.set(g.vmid, only);
      linkedServers.add(only);
      learned.push({ vmid: g.vmid, serverId: only, mac: nic?.mac ?? null });
    } else owners.set(g.vmid, null);
  }
  return { owners, learned };
}

export interface UplinkWorld extends OwnerFacts {
  node: string;
  /** The node's own Tenantos server and its addresses: a node uplink carries its guests only. */
  nodeServer: { id: number; ips: readonly string[] };
  /** Resolved owners (see resolveGuestOwners). */
  owners: ReadonlyMap<number, number | null>;
  /** The IPs Tenantos assigns each owner of a guest on this node. */
  assignments: ReadonlyMap<number, readonly string[]>;
  /** IPs IPAM records per VMID: they confirm an agent-reported address. */
  ipam: ReadonlyMap<number, readonly string[]>;
  untaggedVlanId: number;
  /** A VM Tenantos does not know is bound from its config (flagged) unless this is false. */
  isUnknownVmBound?: boolean;
}

interface Candidate {
  ip: string;
  nic: ClusterNic;
  guest: ClusterGuest;
  owner: number | null;
  flag?: PlanFlag;
}

/**
 * A Proxmox node's uplink carries every guest on the node, each NIC's addresses on its MAC and
 * VLAN tag. Who owns an address is the panel's call: a VM Tenantos knows gets exactly the IPs
 * Tenantos assigns it; one it does not know gets its config IPs, flagged. An address only the
 * guest's agent reports counts only with IPAM's word for that VMID. An address claimed twice
 * anywhere (two guests on any nodes, two NICs, a guest and a Tenantos server it is not) is bound to
 * nobody, naming every claimant: binding it to either would cut the other off.
 */
export function computeUplinkPlan(w: UplinkWorld, allowlist: readonly number[], name: VlanNamer): PortPlanResult {
  const leftOut: LeftOut[] = [];
  const flags: PlanFlag[] = [];
  const candidates: Candidate[] = [];
  const here = w.guests.filter((g) => g.node === w.node);
  const nodeIps = new Set(w.nodeServer.ips);
  for (const g of here) {
    const who = `${g.vmid} (${g.name})`;
    const owner = w.owners.get(g.vmid) ?? null;
    const onGuest = (ip: string) => g.nics.find((n) => n.configIps.includes(ip) || n.agentIps.includes(ip));
    if (owner !== null) {
      const assigned = w.assignments.get(owner) ?? [];
      const owned = new Set(assigned);
      for (const ip of assigned) {
        // A VM with one NIC carries its new address there before the guest has configured it.
        const nic = onGuest(ip) ?? (g.nics.length === 1 ? g.nics[0] : undefined);
        if (nic) candidates.push({ ip, nic, guest: g, owner });
        else
          leftOut.push({
            subject: `${who} ${ip}`,
            ip,
            rule: "not-on-nic",
            reason: `assigned to it in Tenantos (server ${owner}) but on none of its ${g.nics.length} NICs`,
          });
      }
      for (const nic of g.nics)
        for (const ip of new Set([...nic.configIps, ...nic.agentIps]))
          if (!owned.has(ip))
            leftOut.push({ subject: `${who} ${ip}`, ip, rule: "not-assigned", reason: `on the guest, but Tenantos does not assign it to server ${owner}` });
      if (assigned.length === 0) leftOut.push({ subject: who, rule: "no-ip", reason: `Tenantos assigns no IP to server ${owner}` });
      continue;
    }
    for (const nic of g.nics) {
      if (nic.configIps.length === 0 && nic.agentIps.length === 0)
        leftOut.push({ subject: `${who} ${nic.mac}`, rule: "no-ip", reason: "no IP address in the guest config or from its agent" });
      for (const ip of new Set(nic.configIps)) {
        const flag: PlanFlag = { subject: `${who} ${ip}`, ip, kind: "unknown-to-tenantos", reason: "not known to Tenantos: bound from its Proxmox config" };
        if (w.isUnknownVmBound === false)
          leftOut.push({ subject: flag.subject, ip, rule: "not-assigned", reason: "not known to Tenantos, and unknown VMs are not bound (setting)" });
        else candidates.push({ ip, nic, guest: g, owner: null, flag });
      }
      for (const ip of nic.agentIps.filter((x) => !nic.configIps.includes(x))) {
        if (w.ipam.get(g.vmid)?.includes(ip))
          candidates.push({
            ip,
            nic,
            guest: g,
            owner: null,
            flag: { subject: `${who} ${ip}`, ip, kind: "agent-only", reason: "reported only by the guest's agent, confirmed by IPAM for this VMID" },
          });
        else
          leftOut.push({
            subject: `${who} ${ip}`,
            ip,
            rule: "agent-only",
            reason: "reported only by the guest's agent: neither Tenantos nor IPAM gives it to this VM",
          });
      }
    }
  }
  for (const ip of nodeIps)
    if (!candidates.some((c) => c.ip === ip))
      leftOut.push({
        subject: ip,
        ip,
        rule: "node-address",
        reason: `the node's own address (Tenantos server ${w.nodeServer.id}): a node uplink carries its guests' bindings only`,
      });

  // Every claimant in the cluster: this node's candidates, every guest configured with the address
  // (here too: a guest whose config carries it answers for it, whoever Tenantos says holds it), and
  // the Tenantos server holding it when that is not the candidate's owner.
  const claims = configClaims(w.guests);
  const bindings: PlannedBinding[] = [];
  for (const c of candidates) {
    const subject = `${c.guest.vmid} (${c.guest.name}) ${c.ip}`;
    const vlanId = c.nic.vlanId ?? w.untaggedVlanId;
    if (!isVlanAllowed(allowlist, vlanId)) {
      leftOut.push({ subject, ip: c.ip, rule: "allowlist", reason: `VLAN ${vlanId} is not in the allowlist` });
      continue;
    }
    const here = candidates.filter((o) => o.ip === c.ip).map((o) => `${guestName(o.guest)} ${o.nic.name}`);
    const holder = w.holders.get(c.ip);
    const foreign = nodeIps.has(c.ip)
      ? [`Tenantos server ${w.nodeServer.id} (the node)`]
      : typeof holder === "number" && holder !== c.owner
        ? [`Tenantos server ${holder}`]
        : [];
    const claimants = [...new Set([...here, ...(claims.get(c.ip) ?? []), ...foreign])];
    if (claimants.length > 1) {
      leftOut.push({ subject, ip: c.ip, rule: "duplicate", claimants, reason: `IP ${c.ip} is claimed by ${claimants.join(" and ")}` });
      flags.push({ subject, ip: c.ip, kind: "claimed-twice", reason: `claimed by ${claimants.join(" and ")}: bound to nobody until resolved` });
      continue;
    }
    const b = bind(
      c.ip,
      c.nic.mac,
      vlanId,
      name,
      { kind: "proxmox", vmid: c.guest.vmid, node: c.guest.node, nic: c.nic.name, serverId: c.owner },
      subject,
      leftOut,
    );
    if (b) {
      bindings.push(b);
      if (c.flag) flags.push(c.flag);
    }
  }
  return { bindings, leftOut, flags };
}

/** Is this skip about the IP? Skips name their subject: an IP, "server N", a port or a VM. */
export function isSkipAbout(skip: Skip & { ip?: string }, ip: string): boolean {
  return skip.ip === ip || skip.subject === ip || skip.subject.split(/[\s,()]+/).includes(ip);
}

/** An address the panel assigned or a push binds, as IPAM records it: in use, owned by the server. */
export interface PanelAddress {
  ip: string;
  mac: string | null;
  serverId: number | null;
  vmid: number | null;
  /** `panel:tenantos`, `panel:vmac`, `panel:proxmox`: where IPAM learnt it. */
  sourceRef: string;
}

/**
 * What IPAM should know from a port's plan: every binding (with its owner), and a dedicated server's
 * Tenantos assignments left out for want of a MAC, a VLAN or the allowlist: still the server's.
 */
export function listPanelAddresses(plan: Pick<PortPlanResult, "bindings" | "leftOut">, dedicatedServerId: number | null): PanelAddress[] {
  const out = new Map<string, PanelAddress>();
  for (const b of plan.bindings) {
    const s = b.source;
    if (s.kind === "manual") continue;
    out.set(b.ip, {
      ip: b.ip,
      mac: b.mac,
      serverId: s.serverId,
      vmid: s.kind === "proxmox" ? s.vmid : null,
      sourceRef: `panel:${s.kind}`,
    });
  }
  if (dedicatedServerId !== null)
    for (const l of plan.leftOut)
      if (l.ip && !out.has(l.ip) && (l.rule === "no-mac" || l.rule === "vlan" || l.rule === "allowlist"))
        out.set(l.ip, { ip: l.ip, mac: null, serverId: dedicatedServerId, vmid: null, sourceRef: "panel:tenantos" });
  return [...out.values()];
}
