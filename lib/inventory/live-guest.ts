import type { LiveGuest } from "./drift";
import { parseGuestNics } from "./guest-config";
import { parseGuestDisks } from "./guest-disks";
import { guestAddresses, isInventoryAddress, type LiveInventoryData, type LiveInventoryGuest } from "./snapshot";

/** A guest as Proxmox lists it (`/cluster/resources?type=vm`): the snapshot's guest before its config and agent are read. */
export interface GuestResource extends Pick<LiveInventoryGuest, "vmid" | "name" | "node" | "type" | "status"> {
  maxcpu?: number;
  maxmem?: number;
}

/**
 * One guest of the snapshot from what Proxmox said: its resource row, its config (NICs and
 * static addresses; `dhcp`/`manual` are not addresses) and, when an agent answered, its live
 * interfaces (null: no agent, which is not an error). Disks come from the config's disk keys.
 */
export function buildLiveGuest(r: GuestResource, config: Record<string, unknown>, live: Array<{ mac?: string; ips: string[] }> | null): LiveInventoryGuest {
  const nics = parseGuestNics(config);
  const configIps = [...new Set(nics.flatMap((n) => n.ips))];
  const liveIps = live === null ? null : [...new Set(live.flatMap((i) => i.ips).filter(isInventoryAddress))];
  return {
    vmid: r.vmid,
    name: r.name || String(config.name ?? config.hostname ?? ""),
    node: r.node,
    type: r.type,
    status: r.status,
    cpus: r.maxcpu ?? 0,
    mem_bytes: r.maxmem ?? 0,
    nics: nics.map((n) => ({ index: n.index, mac: n.mac ?? null, bridge: n.bridge ?? null, vlan_tag: n.vlanTag ?? null, config_ips: n.ips })),
    config_ips: configIps,
    live_ips: liveIps,
    disks: parseGuestDisks(r.type, config).map((d) => ({ key: d.key, storage: d.storage, volid: `${d.storage}:${d.volume}`, size_bytes: d.sizeBytes })),
  };
}

// A frozen snapshot (the console keeps the last good one frozen and shares it between requests)
// never changes, so its drift guests are made once: 10k guests' addresses on every drift load were
// a fifth of the page (bench:pages). Frozen in turn, so no reader can change what the next one gets.
const driftGuestsOfFrozen = new WeakMap<LiveInventoryData, readonly LiveGuest[]>();

/** The snapshot's guests as the drift computation reads them: config and live addresses together. */
export function toDriftGuests(data: LiveInventoryData): LiveGuest[] {
  const known = driftGuestsOfFrozen.get(data);
  if (known) return known as LiveGuest[];
  const guests = data.guests.map((g) => ({ vmid: g.vmid, name: g.name, node: g.node, type: g.type, ips: guestAddresses(g) }));
  if (Object.isFrozen(data)) {
    for (const g of guests) {
      Object.freeze(g.ips);
      Object.freeze(g);
    }
    driftGuestsOfFrozen.set(data, Object.freeze(guests));
  }
  return guests;
}
