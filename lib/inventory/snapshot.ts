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
  storage: LiveNodeStorage[];
  /**
   * From `/nodes/{node}/status` `cpuinfo` (model, sockets, cores: physical cores over all sockets).
   * Absent in snapshots taken before it was collected; null when the node did not answer (or the token
   * lacks `Sys.Audit` on it). Proxmox's API gives no chassis serial or system model (no DMI data in
   * `/nodes/{node}/status`; `/nodes/{node}/hardware` lists only PCI and USB devices), so none is kept.
   */
  cpu_model?: string | null;
  cpu_sockets?: number | null;
  cpu_cores?: number | null;
  /** `/nodes/{node}/network`: NICs, bonds and bridges. Absent in older snapshots. */
  ifaces?: LiveNodeIface[];
}

export interface LiveNodeStorage {
  storage: string;
  type: string;
  total_bytes: number;
  used_bytes: number;
  is_shared: boolean;
  /** Absent in older snapshots. */
  avail_bytes?: number;
  /** `images`, `rootdir`, `iso`, `vztmpl`, `backup`… */
  content?: string[];
  is_active?: boolean;
  /**
   * Guest volumes (`images`, `rootdir`) from `/nodes/{node}/storage/{storage}/content`; absent when not
   * read (older snapshots, storages that hold no guest disks, and a shared storage on every node but
   * the one it was read from).
   */
  volumes?: LiveStorageVolume[];
}

export interface LiveStorageVolume {
  /** `STORAGE:VOLUME` */
  volid: string;
  /** The owner Proxmox names from the volume's name; null when it names none. */
  vmid: number | null;
  size_bytes: number | null;
}

export interface LiveNodeIface {
  iface: string;
  /** `eth`, `bond`, `bridge`, `vlan`, OVS types… as Proxmox names them. */
  type: string;
  is_active: boolean;
  /** A bond's member NICs (`slaves`). */
  bond_members: string[];
  bond_mode: string | null;
  bridge_ports: string[];
  /**
   * Link speed in Mbit/s. Always null from Proxmox: `/nodes/{node}/network` describes the configured
   * interfaces (ifupdown) and which links are up, with no speed field; unknown is not 0.
   */
  speed_mbps: number | null;
}

/** One disk of a guest on a Proxmox storage (from the config's `scsi0`, `rootfs`, `mpN`…). */
export interface LiveGuestDisk {
  key: string;
  storage: string;
  /** `STORAGE:VOLUME`, to match the storage's volume list; absent in older snapshots. */
  volid?: string;
  /** Null when the config gives no `size=` (a detached `unusedN` disk). */
  size_bytes: number | null;
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
  /** Disks on Proxmox storages; absent in snapshots taken before disks were collected. */
  disks?: LiveGuestDisk[];
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
