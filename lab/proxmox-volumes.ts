import type { LabProxmoxWorld } from "./proxmox";

// `GET /nodes/{node}/storage/{storage}/content` for guest volumes, as pve-storage answers it
// (src/PVE/API2/Storage/Content.pm `index`, src/PVE/Storage/Plugin.pm `list_volumes`, read at
// pve-storage 9.1.7): every image of the storage with `volid` (`STORAGE:VOLUME`), `format`, `size`
// (bytes), `vmid` (the owner, from the volume name), `ctime`; `content` is `rootdir` when the owner is
// a container and `images` otherwise (also for a volume whose guest no longer exists). `?content=`
// keeps one type. LVM-thin reports `format: raw` (LvmThinPlugin `list_images`); other plugins'
// formats are a guess here (raw).
//
// The lab's volumes are the disks its guests' configs name (their `size=`, written by the world in
// G), plus the storage's `volumes`: disks no config sizes (a detached `unusedN`) or names (left behind).

const GIB = 2 ** 30;
const DISK_KEY = /^(ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$|^unused\d+$|^rootfs$|^mp\d+$/;
// A fixed creation time: the lab's volumes all date from its world's making.
const CTIME = 1_730_000_000;

export interface LabVolume {
  volid: string;
  content: "images" | "rootdir";
  format: string;
  size: number;
  vmid: number;
  ctime: number;
}

export function listLabStorageVolumes(world: LabProxmoxWorld, node: string, storageId: string): LabVolume[] {
  const n = world.nodes.find((x) => x.node === node);
  const storage = n?.storage?.find((s) => s.storage === storageId);
  if (!storage) return [];
  const isLxc = (vmid: number) => world.guests.find((g) => g.vmid === vmid)?.type === "lxc";
  const byVolid = new Map<string, LabVolume>();
  // A shared storage holds every node's guests' volumes; a local one only its own node's.
  for (const g of world.guests.filter((x) => storage.shared || x.node === node)) {
    for (const [key, value] of Object.entries(g.config)) {
      if (!DISK_KEY.test(key) || typeof value !== "string" || value.includes("media=cdrom")) continue;
      if (!value.startsWith(`${storageId}:`)) continue;
      const size = /(?:^|,)size=(\d+)G(?:,|$)/.exec(value);
      if (!size) continue;
      const volid = value.split(",")[0]!;
      byVolid.set(volid, { volid, content: g.type === "lxc" ? "rootdir" : "images", format: "raw", size: Number(size[1]) * GIB, vmid: g.vmid, ctime: CTIME });
    }
  }
  for (const v of storage.volumes ?? []) {
    const volid = `${storageId}:${v.volume}`;
    byVolid.set(volid, { volid, content: isLxc(v.vmid) ? "rootdir" : "images", format: "raw", size: v.sizeGiB * GIB, vmid: v.vmid, ctime: CTIME });
  }
  return [...byVolid.values()].sort((a, b) => a.volid.localeCompare(b.volid));
}
