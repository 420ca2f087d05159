import { isVlanAllowed } from "../settings/vlan-allowlist";
import { parseBinding, type Binding } from "../junos/bindings";

// The seeds' rules, over plain facts: connectors turn Tenantos and Proxmox answers into these.

export interface IpFact {
  ip: string;
  vlanId: number;
}

export interface DedicatedServerFacts {
  serverId: number;
  pxeMac: string;
  /** Absent when its VLAN or subnet could not be resolved (the caller lists why). */
  primary?: IpFact;
  additional: IpFact[];
}

export interface VmNic {
  mac: string;
  vlanId: number | undefined;
  /** From the guest config (`ipconfigN`, LXC `ip=`): set by whoever runs the hypervisor. */
  configIps: string[];
  /** From the QEMU agent or LXC interfaces: reported by the guest itself, so never trusted alone. */
  agentIps: string[];
}

export interface VmFact {
  vmid: number;
  name: string;
  nics: VmNic[];
}

/** A VM on a node uplink with who owns its addresses. */
export interface UplinkVm extends VmFact {
  /** The Tenantos server this VM is, with the IPs Tenantos assigns it; null when Tenantos does not know it. */
  owner: { serverId: number; ips: string[] } | null;
  /** IPs IPAM records for this VMID: they confirm an agent-reported address. */
  ipamIps: string[];
}

export interface Skip {
  subject: string;
  reason: string;
}

export interface BindingsResult {
  bindings: Binding[];
  skipped: Skip[];
  /** Bound, but worth a look (a VM Tenantos does not know, bound from its Proxmox config). */
  flags?: Skip[];
}

/**
 * How a VLAN id is named on the switch (`set vlans NAME vlan-id N`), or undefined when the switch
 * does not define it. The seeds' switches use `VLAN.<id>`; real ones name VLANs as they like.
 */
export type VlanNamer = (vlanId: number) => string | undefined;
export const defaultVlanName: VlanNamer = (id) => `VLAN.${id}`;

function bind(ip: string, mac: string, vlanId: number, name: VlanNamer, skipped: Skip[], subject: string): Binding | undefined {
  const vlan = name(vlanId);
  if (vlan === undefined) {
    skipped.push({ subject, reason: `VLAN ${vlanId} is not defined on the switch (no \`set vlans NAME vlan-id ${vlanId}\`): retried when a backup shows it` });
    return undefined;
  }
  try {
    return parseBinding({ ip, mac, vlan });
  } catch (e) {
    skipped.push({ subject, reason: (e as Error).message });
    return undefined;
  }
}

/**
 * A dedicated server's port: the primary IP on its PXE MAC; each additional IP on its active
 * VMAC; an additional IP without one is skipped. IPs on VLANs outside the allowlist are skipped.
 */
export function computeDedicatedBindings(
  f: DedicatedServerFacts,
  vmacs: ReadonlyMap<string, string>,
  allowlist: readonly number[],
  name: VlanNamer = defaultVlanName,
): BindingsResult {
  const skipped: Skip[] = [];
  const bindings: Binding[] = [];
  const consider = (fact: IpFact, mac: string | undefined, isPrimary: boolean) => {
    if (!isVlanAllowed(allowlist, fact.vlanId)) return skipped.push({ subject: fact.ip, reason: `VLAN ${fact.vlanId} is not in the allowlist` });
    if (!mac) return skipped.push({ subject: fact.ip, reason: isPrimary ? "the server has no PXE MAC" : "additional IP without an active VMAC" });
    const b = bind(fact.ip, mac, fact.vlanId, name, skipped, fact.ip);
    if (b) bindings.push(b);
  };
  if (f.primary) consider(f.primary, f.pxeMac || undefined, true);
  for (const extra of f.additional) consider(extra, vmacs.get(extra.ip), false);
  return { bindings, skipped };
}

/**
 * A Proxmox node's uplink carries every VM on the node, each NIC's addresses on its MAC and VLAN
 * tag. Who owns an address is the panel's call: a VM Tenantos knows gets exactly the IPs Tenantos
 * assigns it; a VM it does not know gets its Proxmox config IPs, flagged. An address only the
 * guest's agent reports is bound only when IPAM records it for that VMID: a guest controls its
 * agent, and could otherwise claim a neighbour's or the gateway's address. An IP two VMs (or NICs)
 * claim is skipped on both, naming both: binding it to either would cut the other off.
 */
export function computeUplinkBindings(
  vms: UplinkVm[],
  allowlist: readonly number[],
  untaggedVlanId: number,
  name: VlanNamer = defaultVlanName,
): Required<BindingsResult> {
  const skipped: Skip[] = [];
  const flags: Skip[] = [];
  const candidates: Array<{ ip: string; mac: string; vlanId: number; subject: string; who: string }> = [];
  for (const vm of vms) {
    const who = `${vm.vmid} (${vm.name})`;
    const onGuest = (ip: string) => vm.nics.find((n) => n.configIps.includes(ip) || n.agentIps.includes(ip));
    const take = (ip: string, nic: VmNic) => {
      const vlanId = nic.vlanId ?? untaggedVlanId;
      const subject = `${who} ${ip}`;
      if (!isVlanAllowed(allowlist, vlanId)) skipped.push({ subject, reason: `VLAN ${vlanId} is not in the allowlist` });
      else candidates.push({ ip, mac: nic.mac, vlanId, subject, who });
    };
    if (vm.owner) {
      const owned = new Set(vm.owner.ips);
      for (const ip of vm.owner.ips) {
        // A VM with one NIC carries its new address there before the guest has configured it.
        const nic = onGuest(ip) ?? (vm.nics.length === 1 ? vm.nics[0] : undefined);
        if (nic) take(ip, nic);
        else
          skipped.push({
            subject: `${who} ${ip}`,
            reason: `assigned to it in Tenantos (server ${vm.owner.serverId}) but on none of its ${vm.nics.length} NICs`,
          });
      }
      for (const nic of vm.nics) {
        for (const ip of new Set([...nic.configIps, ...nic.agentIps])) {
          if (!owned.has(ip)) skipped.push({ subject: `${who} ${ip}`, reason: `on the guest, but Tenantos does not assign it to server ${vm.owner.serverId}` });
        }
      }
      if (vm.owner.ips.length === 0) skipped.push({ subject: who, reason: `Tenantos assigns no IP to server ${vm.owner.serverId}` });
      continue;
    }
    for (const nic of vm.nics) {
      if (nic.configIps.length === 0 && nic.agentIps.length === 0)
        skipped.push({ subject: `${who} ${nic.mac}`, reason: "no IP address in the guest config or from its agent" });
      for (const ip of nic.configIps) {
        take(ip, nic);
        flags.push({ subject: `${who} ${ip}`, reason: "not known to Tenantos: bound from its Proxmox config" });
      }
      for (const ip of nic.agentIps.filter((x) => !nic.configIps.includes(x))) {
        if (vm.ipamIps.includes(ip)) take(ip, nic);
        else skipped.push({ subject: `${who} ${ip}`, reason: "reported only by the guest's agent: neither Tenantos nor IPAM gives it to this VM" });
      }
    }
  }
  const claims = new Map<string, string[]>();
  for (const c of candidates) claims.set(c.ip, [...(claims.get(c.ip) ?? []), c.who]);
  const bindings: Binding[] = [];
  for (const c of candidates) {
    const by = claims.get(c.ip)!;
    if (by.length > 1) {
      skipped.push({ subject: c.subject, reason: `IP ${c.ip} is claimed by ${[...new Set(by)].join(" and ")}${new Set(by).size === 1 ? " on two NICs" : ""}` });
      continue;
    }
    const b = bind(c.ip, c.mac, c.vlanId, name, skipped, c.subject);
    if (b) bindings.push(b);
  }
  return { bindings, skipped, flags };
}

export interface AutomationRequirements {
  hasSwitchConnection: boolean;
  isSwitchAutomationOn: boolean;
  hasSwitchCredentials: boolean;
  hasEventToken: boolean;
}

/** Why automation may not run for this server, or null when it may. Skips are recorded, never silent. */
export function findUnmetRequirement(r: AutomationRequirements): string | null {
  if (!r.hasEventToken) return "PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set";
  if (!r.hasSwitchConnection) return "the server has no snmp_switch connection in Tenantos";
  if (!r.isSwitchAutomationOn) return "switchAutomation is off for the server's switch connection";
  if (!r.hasSwitchCredentials) return "the switch has no credentials here";
  return null;
}
