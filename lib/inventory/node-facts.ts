import type { LiveNodeIface, LiveNodeStorage, LiveStorageVolume } from "./snapshot";

// A node's storages and network interfaces as the snapshot keeps them, from what Proxmox answered.
// Shapes: Proxmox VE API viewer (https://pve.proxmox.com/pve-docs/api-viewer/) `GET
// /nodes/{node}/storage` (storage, type, content, enabled, active, shared, total, used, avail) and
// `GET /nodes/{node}/network` (iface, type, active, slaves, bond_mode, bridge_ports…: 0/1 flags, and
// space-separated lists); ../shared/reference/proxmox-api.md, "Capacity".

export interface StorageAnswer {
  storage: string;
  type: string;
  total?: number;
  used?: number;
  avail?: number;
  /** 1 when the storage is shared across nodes (NFS, Ceph): counted once for the cluster. */
  shared?: number;
  content?: string;
  /** 0 when the storage is configured but not usable now. */
  active?: number;
}

/** One entry of `/nodes/{node}/network`: `slaves` and `bridge_ports` are space-separated strings. */
export interface IfaceAnswer {
  iface: string;
  type: string;
  active?: number;
  slaves?: string;
  bond_mode?: string;
  bridge_ports?: string;
}

const words = (v: string | undefined) => (v ?? "").split(/[\s,]+/).filter(Boolean);

export function buildLiveNodeStorage(answer: readonly StorageAnswer[]): LiveNodeStorage[] {
  return answer
    .map((s) => {
      const total = s.total ?? 0;
      const used = s.used ?? 0;
      return {
        storage: s.storage,
        type: s.type,
        total_bytes: total,
        used_bytes: used,
        // `avail` is what Proxmox says can still be written (thin pools and quotas differ from total-used).
        avail_bytes: s.avail ?? Math.max(0, total - used),
        is_shared: s.shared === 1,
        content: words(s.content).sort(),
        // Proxmox leaves `active` out for a storage it could not activate.
        is_active: s.active === 1,
      };
    })
    .sort((a, b) => a.storage.localeCompare(b.storage));
}

/**
 * NICs, bonds and bridges. The network API (pve-manager PVE/API2/Network.pm `index`, over pve-common
 * src/PVE/Network/Interfaces.pm) reads /etc/network/interfaces and the kernel's link list: it marks
 * links `active` (up) and `exists` (physical), and has no link speed. So `speed_mbps` stays null
 * (unknown), never 0.
 */
export function buildLiveNodeIfaces(answer: readonly IfaceAnswer[]): LiveNodeIface[] {
  return answer
    .map((i) => ({
      iface: i.iface,
      type: i.type,
      is_active: i.active === 1,
      bond_members: words(i.slaves),
      bond_mode: i.bond_mode ?? null,
      bridge_ports: words(i.bridge_ports),
      speed_mbps: null,
    }))
    .sort((a, b) => a.iface.localeCompare(b.iface, "en", { numeric: true }));
}

export interface VolumeAnswer {
  volid: string;
  content?: string;
  size?: number;
  vmid?: number | string;
}

/**
 * A storage's guest volumes from `/nodes/{node}/storage/{storage}/content` (pve-storage
 * src/PVE/API2/Storage/Content.pm: volid, content, size in bytes, vmid the owner); ISOs, templates
 * and backups on the same storage are not guest disks.
 */
export function buildLiveStorageVolumes(answer: readonly VolumeAnswer[]): LiveStorageVolume[] {
  return answer
    .filter((v) => v.content === "images" || v.content === "rootdir")
    .map((v) => ({
      volid: v.volid,
      vmid: v.vmid === undefined || v.vmid === "" || !Number.isFinite(Number(v.vmid)) ? null : Number(v.vmid),
      size_bytes: typeof v.size === "number" ? v.size : null,
    }))
    .sort((a, b) => a.volid.localeCompare(b.volid));
}
