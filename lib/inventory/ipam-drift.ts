import { parseMacAddress } from "../junos/values";
import type { LiveGuest } from "./drift";

// The other two sides of drift: IPAM against Proxmox (the live guests), and IPAM against what the
// switches hold (their latest backups' bindings, and the VMACs handed to Tenantos). Linear time.

export interface IpamRecord {
  address: string;
  status: "planned" | "active" | "deprecated" | "released";
  vmid: number | null;
  hostname: string | null;
  mac: string | null;
}

export interface SwitchBindingRecord {
  switch: string;
  interface: string;
  ip: string;
  mac: string;
  vlan: string;
}

export interface VmacRecord {
  ip: string;
  mac: string;
}

export interface IpamDrift {
  /** An active address IPAM gives to a guest (it names a VMID) that no guest holds. */
  ipam_addresses_not_on_guests: Array<{ ip: string; vmid: number; hostname: string | null }>;
  /** A guest's address IPAM does not know, or knows as released. */
  guest_ips_not_in_ipam: Array<{ vmid: number; name: string; ip: string; ipam_status: "released" | null }>;
  /** IPAM names one VMID for the address; the live inventory has it on another guest. */
  ipam_vmid_mismatch: Array<{ ip: string; ipam_vmid: number; live_vmids: number[] }>;
  /** A switch binds an address IPAM has no record of (our pushes record what they bind: another hand did this). */
  bindings_not_in_ipam: Array<{ switch: string; interface: string; ip: string; mac: string; vlan: string }>;
  /** A switch still binds an address IPAM says is released. */
  bindings_on_released_addresses: Array<{ switch: string; interface: string; ip: string; mac: string; vlan: string }>;
  /** A switch binds the address to a MAC other than IPAM's (and other than the address's VMAC). */
  binding_mac_mismatch: Array<{ switch: string; interface: string; ip: string; bound_mac: string; ipam_mac: string }>;
  /** The address's active VMAC is not the MAC IPAM records for it. */
  vmac_ipam_mismatch: Array<{ ip: string; vmac: string; ipam_mac: string }>;
}

export const IPAM_DRIFT_KINDS = [
  "ipam_addresses_not_on_guests",
  "guest_ips_not_in_ipam",
  "ipam_vmid_mismatch",
  "bindings_not_in_ipam",
  "bindings_on_released_addresses",
  "binding_mac_mismatch",
  "vmac_ipam_mismatch",
] as const satisfies ReadonlyArray<keyof IpamDrift>;

/** IPAM keeps MACs as typed; compare them in one notation (an unreadable one compares as typed, lower case). */
function sameMacForm(mac: string): string {
  try {
    return parseMacAddress(mac);
  } catch {
    return mac.trim().toLowerCase();
  }
}

/**
 * `guests` is null when there is no live snapshot: the kinds that need it are then empty (unknown is
 * not "no drift", and the report says so with its freshness). An empty IPAM compares nothing.
 */
export function computeIpamDrift(input: {
  /** All of IPAM, or at least every active address naming a VMID and every address a guest, binding or VMAC holds. */
  ipam: IpamRecord[];
  /** How many addresses IPAM holds in all, when `ipam` is only those that can be named (default: `ipam.length`). */
  ipamCount?: number;
  guests: LiveGuest[] | null;
  bindings: SwitchBindingRecord[];
  vmacs: VmacRecord[];
}): IpamDrift {
  const empty: IpamDrift = {
    ipam_addresses_not_on_guests: [],
    guest_ips_not_in_ipam: [],
    ipam_vmid_mismatch: [],
    bindings_not_in_ipam: [],
    bindings_on_released_addresses: [],
    binding_mac_mismatch: [],
    vmac_ipam_mismatch: [],
  };
  if ((input.ipamCount ?? input.ipam.length) === 0) return empty;
  const byAddress = new Map(input.ipam.map((a) => [a.address, a]));
  const vmacByIp = new Map(input.vmacs.map((v) => [v.ip, sameMacForm(v.mac)]));
  const drift = empty;

  if (input.guests) {
    const guestsByIp = new Map<string, number[]>();
    for (const g of input.guests) for (const ip of new Set(g.ips)) guestsByIp.set(ip, [...(guestsByIp.get(ip) ?? []), g.vmid]);
    for (const a of input.ipam) {
      if (a.status !== "active" || a.vmid === null) continue;
      const live = guestsByIp.get(a.address);
      if (!live) drift.ipam_addresses_not_on_guests.push({ ip: a.address, vmid: a.vmid, hostname: a.hostname });
      else if (!live.includes(a.vmid)) drift.ipam_vmid_mismatch.push({ ip: a.address, ipam_vmid: a.vmid, live_vmids: [...live].sort((x, y) => x - y) });
    }
    for (const g of input.guests) {
      for (const ip of new Set(g.ips)) {
        const known = byAddress.get(ip);
        if (!known) drift.guest_ips_not_in_ipam.push({ vmid: g.vmid, name: g.name, ip, ipam_status: null });
        else if (known.status === "released") drift.guest_ips_not_in_ipam.push({ vmid: g.vmid, name: g.name, ip, ipam_status: "released" });
      }
    }
  }

  for (const b of input.bindings) {
    const known = byAddress.get(b.ip);
    if (!known) {
      drift.bindings_not_in_ipam.push({ switch: b.switch, interface: b.interface, ip: b.ip, mac: b.mac, vlan: b.vlan });
      continue;
    }
    if (known.status === "released") {
      drift.bindings_on_released_addresses.push({ switch: b.switch, interface: b.interface, ip: b.ip, mac: b.mac, vlan: b.vlan });
      continue;
    }
    if (!known.mac) continue;
    const [bound, recorded] = [sameMacForm(b.mac), sameMacForm(known.mac)];
    if (bound !== recorded && bound !== vmacByIp.get(b.ip)) {
      drift.binding_mac_mismatch.push({ switch: b.switch, interface: b.interface, ip: b.ip, bound_mac: b.mac, ipam_mac: known.mac });
    }
  }
  for (const [ip, vmac] of vmacByIp) {
    const known = byAddress.get(ip);
    if (known?.mac && known.status !== "released" && sameMacForm(known.mac) !== vmac) drift.vmac_ipam_mismatch.push({ ip, vmac, ipam_mac: known.mac });
  }
  return drift;
}
