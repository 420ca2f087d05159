import type { ConfEntry } from "./ip-addresses-conf";
import type { LiveInventoryGuest } from "./snapshot";
import type { VmidRow } from "./vmid-table";

/** A snapshot's guest as drift reads it: its config and live addresses together. */
export interface LiveGuest extends Pick<LiveInventoryGuest, "vmid" | "name" | "node" | "type"> {
  ips: string[];
}

/** Conf keys that name infrastructure, not guests: never expected on a guest. */
const INFRASTRUCTURE_KEY = /^(PROXMOX_HOST_|NETWORK_GATEWAY$|UDM_PRO_|WAN_AGGREGATOR_)/;

export interface InventoryDrift {
  guest_ips_not_in_ip_addresses_conf: Array<{ vmid: number; name: string; ip: string }>;
  ip_addresses_conf_ips_not_on_guests: Array<{ key: string; ip: string }>;
  vmid_ip_mismatch: Array<{ vmid: number; name: string; documented: string[]; live: string[] }>;
  guests_only_in_doc: Array<{ vmid: number; name: string }>;
  guests_only_on_cluster: Array<{ vmid: number; name: string; node: string }>;
  duplicate_guest_ips: Array<{ ip: string; vmids: number[] }>;
}

/** Declared (conf + VMID doc) against live (Proxmox) inventory, with the seeds' drift names. Linear time. */
export function computeInventoryDrift(input: { guests: LiveGuest[]; conf: ConfEntry[]; doc: VmidRow[] }): InventoryDrift {
  const confIps = new Set(input.conf.map((e) => e.ip));
  const guestsByIp = new Map<string, number[]>();
  for (const g of input.guests) for (const ip of new Set(g.ips)) guestsByIp.set(ip, [...(guestsByIp.get(ip) ?? []), g.vmid]);
  const liveByVmid = new Map(input.guests.map((g) => [g.vmid, g]));
  const docByVmid = new Map(input.doc.map((r) => [r.vmid, r]));
  const sameSet = (a: string[], b: string[]) => {
    if (a.length !== b.length) return false;
    const sorted = [...b].sort();
    return [...a].sort().every((x, i) => x === sorted[i]);
  };

  return {
    guest_ips_not_in_ip_addresses_conf: input.guests.flatMap((g) => g.ips.filter((ip) => !confIps.has(ip)).map((ip) => ({ vmid: g.vmid, name: g.name, ip }))),
    ip_addresses_conf_ips_not_on_guests: input.conf.filter((e) => !INFRASTRUCTURE_KEY.test(e.key) && !guestsByIp.has(e.ip)).map(({ key, ip }) => ({ key, ip })),
    vmid_ip_mismatch: input.doc
      .filter((r) => r.ips.length > 0 && liveByVmid.has(r.vmid) && !sameSet(r.ips, liveByVmid.get(r.vmid)!.ips))
      .map((r) => ({ vmid: r.vmid, name: r.name, documented: r.ips, live: liveByVmid.get(r.vmid)!.ips })),
    guests_only_in_doc: input.doc.filter((r) => !liveByVmid.has(r.vmid)).map(({ vmid, name }) => ({ vmid, name })),
    guests_only_on_cluster: input.guests.filter((g) => !docByVmid.has(g.vmid)).map(({ vmid, name, node }) => ({ vmid, name, node })),
    duplicate_guest_ips: findDuplicateGuestIps(input.guests),
  };
}

/** Addresses two or more guests hold (config or live): drift's kind and the dashboard's line, computed once here. */
export function findDuplicateGuestIps(guests: LiveGuest[]): InventoryDrift["duplicate_guest_ips"] {
  const guestsByIp = new Map<string, number[]>();
  for (const g of guests) for (const ip of new Set(g.ips)) guestsByIp.set(ip, [...(guestsByIp.get(ip) ?? []), g.vmid]);
  return [...guestsByIp].filter(([, vmids]) => vmids.length > 1).map(([ip, vmids]) => ({ ip, vmids: vmids.sort((a, b) => a - b) }));
}
