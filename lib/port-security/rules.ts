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
  primary: IpFact;
  additional: IpFact[];
}

export interface VmFact {
  vmid: number;
  name: string;
  nics: Array<{ mac: string; vlanId: number | undefined; ips: string[] }>;
}

export interface Skip {
  subject: string;
  reason: string;
}

export interface BindingsResult {
  bindings: Binding[];
  skipped: Skip[];
}

/** How a VLAN id is named on the switch; the seeds' switches use `VLAN.<id>`. */
export type VlanNamer = (vlanId: number) => string;
export const defaultVlanName: VlanNamer = (id) => `VLAN.${id}`;

function bind(ip: string, mac: string, vlanId: number, name: VlanNamer, skipped: Skip[], subject: string): Binding | undefined {
  try {
    return parseBinding({ ip, mac, vlan: name(vlanId) });
  } catch (e) {
    skipped.push({ subject, reason: (e as Error).message });
    return undefined;
  }
}

/**
 * A dedicated server's port: the primary IP on its PXE MAC; each additional IP on its active
 * VMAC; an additional IP without one is skipped. IPs on VLANs outside the allowlist are skipped.
 */
export function computeDedicatedBindings(f: DedicatedServerFacts, vmacs: ReadonlyMap<string, string>, allowlist: readonly number[], name: VlanNamer = defaultVlanName): BindingsResult {
  const skipped: Skip[] = [];
  const bindings: Binding[] = [];
  const consider = (fact: IpFact, mac: string | undefined, isPrimary: boolean) => {
    if (!isVlanAllowed(allowlist, fact.vlanId)) return skipped.push({ subject: fact.ip, reason: `VLAN ${fact.vlanId} is not in the allowlist` });
    if (!mac) return skipped.push({ subject: fact.ip, reason: isPrimary ? "the server has no PXE MAC" : "additional IP without an active VMAC" });
    const b = bind(fact.ip, mac, fact.vlanId, name, skipped, fact.ip);
    if (b) bindings.push(b);
  };
  consider(f.primary, f.pxeMac || undefined, true);
  for (const extra of f.additional) consider(extra, vmacs.get(extra.ip), false);
  return { bindings, skipped };
}

/**
 * A Proxmox node's uplink carries every VM on the node: each NIC's IPs on its MAC and VLAN tag.
 * An IP claimed by two NICs is skipped on both: binding it to either would cut the other off.
 */
export function computeVmNodeBindings(vms: VmFact[], allowlist: readonly number[], untaggedVlanId: number, name: VlanNamer = defaultVlanName): BindingsResult {
  const skipped: Skip[] = [];
  const candidates: Array<{ ip: string; mac: string; vlanId: number; subject: string }> = [];
  for (const vm of vms) {
    for (const nic of vm.nics) {
      const vlanId = nic.vlanId ?? untaggedVlanId;
      // Skips are never silent: a NIC with nothing to bind is listed too.
      if (nic.ips.length === 0) skipped.push({ subject: `${vm.vmid} (${vm.name}) ${nic.mac}`, reason: "no IP address in the guest config or from its agent" });
      for (const ip of nic.ips) {
        const subject = `${vm.vmid} (${vm.name}) ${ip}`;
        if (!isVlanAllowed(allowlist, vlanId)) skipped.push({ subject, reason: `VLAN ${vlanId} is not in the allowlist` });
        else candidates.push({ ip, mac: nic.mac, vlanId, subject });
      }
    }
  }
  const count = new Map<string, number>();
  for (const c of candidates) count.set(c.ip, (count.get(c.ip) ?? 0) + 1);
  const bindings: Binding[] = [];
  for (const c of candidates) {
    if (count.get(c.ip)! > 1) {
      skipped.push({ subject: c.subject, reason: `IP ${c.ip} is configured on ${count.get(c.ip)} NICs on this node` });
      continue;
    }
    const b = bind(c.ip, c.mac, c.vlanId, name, skipped, c.subject);
    if (b) bindings.push(b);
  }
  return { bindings, skipped };
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
