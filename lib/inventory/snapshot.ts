// The live inventory as collected from Proxmox: stored as a snapshot's data and served as
// `live_inventory.json`. Field names are snake_case because scripts read them.

export interface LiveNode {
  node: string;
  status: string;
  cpus: number;
  /** 0..1; null when the node is offline. */
  cpu_load: number | null;
  /** Bytes. `*_used_bytes` are null when Proxmox did not report usage (node offline). */
  mem_total_bytes: number;
  mem_used_bytes: number | null;
  /** The node's root filesystem; guest disks live in `storage`. */
  disk_total_bytes: number;
  disk_used_bytes: number | null;
  storage: Array<{ storage: string; type: string; total_bytes: number; used_bytes: number; is_shared: boolean }>;
}

export interface LiveNic {
  index: number;
  mac: string | null;
  bridge: string | null;
  vlan_tag: number | null;
  /** Static addresses from the config (`ipconfigN`, LXC `ip=`). */
  config_ips: string[];
}

export interface LiveInventoryGuest {
  vmid: number;
  name: string;
  node: string;
  type: "qemu" | "lxc";
  status: string;
  cpus: number;
  mem_bytes: number;
  nics: LiveNic[];
  config_ips: string[];
  /** From the QEMU agent or LXC interfaces; null when no agent answered (not an error). */
  live_ips: string[] | null;
}

export interface LiveInventoryData {
  nodes: LiveNode[];
  guests: LiveInventoryGuest[];
  /** What could not be read for one node or guest (it vanished mid-collection, its agent hung). */
  warnings?: string[];
}

/** Loopback, link-local and unspecified addresses are not inventory. */
export function isInventoryAddress(ip: string): boolean {
  const lower = ip.toLowerCase();
  return !(lower.startsWith("127.") || lower === "::1" || lower.startsWith("fe80:") || lower === "0.0.0.0" || lower === "::");
}

/** A guest's addresses for drift: config and live, each once, in a stable order. */
export function guestAddresses(g: Pick<LiveInventoryGuest, "config_ips" | "live_ips">): string[] {
  return [...new Set([...g.config_ips, ...(g.live_ips ?? [])].filter(isInventoryAddress))];
}

/** Older than this, a good snapshot is shown as stale even without a failure after it. */
export const STALE_AFTER_MS = 8 * 24 * 3600 * 1000;

/**
 * A snapshot is current only when it is the newest attempt and recent: a failed collection
 * after it, or its age, makes it stale (the console never shows it as current).
 */
export function isSnapshotStale(input: { collectedAt: Date | null; lastFailedAt: Date | null; now: Date }): boolean {
  if (!input.collectedAt) return true;
  if (input.lastFailedAt && input.lastFailedAt > input.collectedAt) return true;
  return input.now.getTime() - input.collectedAt.getTime() > STALE_AFTER_MS;
}
