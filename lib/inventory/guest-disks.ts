// A guest's disks from its Proxmox config, and what each allocates on which storage.
//
// Formats (Proxmox VE API viewer, https://pve.proxmox.com/pve-docs/api-viewer/, `GET
// /nodes/{node}/qemu/{vmid}/config` and `…/lxc/{vmid}/config`; ../shared/reference/proxmox-api.md,
// "Capacity": "Per-disk sizes are in guest configs: `scsi0: …,size=32G`, `rootfs: …,size=8G`"):
// - QEMU disk keys are the bus and index: ideN, sataN, scsiN, virtioN, plus efidisk0 and tpmstate0;
//   the value is `STORAGE:VOLUME,opt=…,size=32G`. A CD-ROM (`media=cdrom`, often `none,media=cdrom`
//   or an ISO volume) is not storage the guest owns. `unusedN: STORAGE:VOLUME` is a detached disk that
//   still takes space but carries no `size=`.
// - LXC: `rootfs` and `mpN`, `STORAGE:VOLUME,mp=/data,size=8G`. A bind mount (`mp0: /srv/x,mp=/x`)
//   and a QEMU pass-through disk (`scsi1: /dev/disk/by-id/…`) are on no Proxmox storage.
// - `size=` is pve-common's disk size (src/PVE/JSONSchema.pm `parse_size`, read at pve-common 9.2.1):
//   a number with an optional unit K, M, G or T (newer releases also accept KiB, MiB, GiB, TiB), each
//   1024 times the one before; a bare number is bytes; the result is truncated to whole bytes. Proxmox
//   writes sizes with `format_size`: the largest unit that divides them (`32G`, `4M`, `528K`), bytes
//   only when none does.

export interface GuestDisk {
  /** The config key: `scsi0`, `rootfs`, `mp1`, `unused0`… */
  key: string;
  storage: string;
  volume: string;
  /** Bytes from `size=`; null when the config does not say (an `unusedN` disk). */
  sizeBytes: number | null;
  /** A detached disk (`unusedN`): still on the storage, attached to nothing. */
  isUnused: boolean;
}

const UNIT_BYTES: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const QEMU_DISK_KEY = /^(ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$|^unused\d+$/;
const LXC_DISK_KEY = /^rootfs$|^mp\d+$|^unused\d+$/;

/** `32G` → bytes, `0.5T`, `528K`, `8GiB`, `1073741824` (bytes); null when it is not a Proxmox size. */
export function parseProxmoxSize(value: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(?:([KMGT])(?:iB)?)?$/.exec(value.trim());
  if (!m) return null;
  return Math.floor(Number(m[1]) * (m[2] ? UNIT_BYTES[m[2]]! : 1));
}

/**
 * One disk value (`local-lvm:vm-101-disk-0,discard=on,size=32G`) → storage, volume and size; null for
 * what is not a disk on a Proxmox storage (a CD-ROM, a pass-through device, a bind mount).
 */
export function parseDiskString(key: string, value: string): GuestDisk | null {
  const [volid = "", ...opts] = value.split(",");
  const options = new Map(
    opts.map((o) => {
      const i = o.indexOf("=");
      return i < 0 ? [o.trim(), ""] : [o.slice(0, i).trim(), o.slice(i + 1).trim()];
    }),
  );
  if (options.get("media") === "cdrom") return null;
  // `STORAGE:VOLUME`; a path (`/dev/…`, `/srv/…`) or `none` is not on a storage.
  const m = /^([A-Za-z][A-Za-z0-9\-_.]*):(.+)$/.exec(volid.trim());
  if (!m) return null;
  const size = options.get("size");
  return { key, storage: m[1]!, volume: m[2]!, sizeBytes: size === undefined ? null : parseProxmoxSize(size), isUnused: /^unused\d+$/.test(key) };
}

/** Every disk a guest config puts on a Proxmox storage, in key order. */
export function parseGuestDisks(type: "qemu" | "lxc", config: Record<string, unknown>): GuestDisk[] {
  const keyRe = type === "qemu" ? QEMU_DISK_KEY : LXC_DISK_KEY;
  return Object.entries(config)
    .filter((e): e is [string, string] => keyRe.test(e[0]) && typeof e[1] === "string")
    .map(([k, v]) => parseDiskString(k, v))
    .filter((d): d is GuestDisk => d !== null)
    .sort((a, b) => a.key.localeCompare(b.key, "en", { numeric: true }));
}
