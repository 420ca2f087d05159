import { parseDiskString } from "../inventory/guest-disks";
// Reading and writing the few guest-config values provisioning needs. Formats from the Proxmox
// API viewer (https://pve.proxmox.com/pve-docs/api-viewer/, qemu/lxc config) and
// ../shared/reference/proxmox-api.md: disks `storage:volume,size=32G`, `net0` a comma list of key=value.

/** `local-lvm:vm-100-disk-0,size=32G` → storage and size in GiB (null size when not written), read as inventory reads it. */
export function parseDiskValue(value: string): { storage: string; volume: string; sizeGiB: number | null } | null {
  const disk = parseDiskString("disk", value);
  return disk && { storage: disk.storage, volume: disk.volume, sizeGiB: disk.sizeBytes === null ? null : disk.sizeBytes / 2 ** 30 };
}

/** `name=eth0,bridge=vmbr0,tag=11` → ordered pairs; a QEMU `virtio=MAC` first item is a pair too. */
export function parseNetValue(value: string): Array<[string, string]> {
  return value
    .split(",")
    .filter(Boolean)
    .map((part) => {
      const i = part.indexOf("=");
      return i < 0 ? [part, ""] : [part.slice(0, i), part.slice(i + 1)];
    });
}

export function formatNetValue(pairs: ReadonlyArray<[string, string]>): string {
  return pairs.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join(",");
}

/** Sets (or, with null, removes) keys of a net value, keeping every other key and the order. */
export function setNetKeys(value: string, changes: Record<string, string | null>): string {
  const pairs = parseNetValue(value).filter(([k]) => !(k in changes) || changes[k] !== null);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) continue;
    const at = pairs.findIndex(([key]) => key === k);
    if (at >= 0) pairs[at] = [k, v];
    else pairs.push([k, v]);
  }
  return formatNetValue(pairs);
}

/** The VLAN tag of a net value (undefined: untagged). */
export function findNetTag(value: string): number | undefined {
  const tag = parseNetValue(value).find(([k]) => k === "tag")?.[1];
  return tag ? Number(tag) : undefined;
}

/** The IPv4 address (without mask) a guest config sets on net0 (LXC `ip=`) or ipconfig0 (QEMU cloud-init). */
export function findConfiguredIp(config: Record<string, unknown>, guestType: "qemu" | "lxc"): string | null {
  const raw = guestType === "lxc" ? config.net0 : config.ipconfig0;
  if (typeof raw !== "string") return null;
  const ip = parseNetValue(raw).find(([k]) => k === "ip")?.[1];
  return ip && ip !== "dhcp" && ip !== "manual" ? ip.split("/")[0]! : null;
}
