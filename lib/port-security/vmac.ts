import { AppError } from "../errors";
import { parseMacAddress } from "../junos/values";
import { parseIpAddress } from "../net/ip";

// Proxmox assigns BC:24:11:…; a VMAC must never collide with a guest NIC it generated.
const PROXMOX_OUI = "bc:24:11";

/** A 2-octet VMAC prefix such as `02:00`: locally administered, unicast, lower-case. */
export function parseVmacPrefix(prefix: string): string {
  const m = /^([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(prefix.trim());
  if (!m) throw new AppError("BAD_REQUEST", `VMAC prefix "${prefix}" must be two octets, like 02:00`, { field: "vmacPrefix" });
  const first = parseInt(m[1]!, 16);
  if (!(first & 0x02) || first & 0x01) {
    throw new AppError("BAD_REQUEST", `VMAC prefix "${prefix}" must be locally administered and unicast (first octet like 02, 06, 0a…)`, {
      field: "vmacPrefix",
    });
  }
  return `${m[1]}:${m[2]}`.toLowerCase();
}

/** The default scheme: prefix + the four IPv4 octets. Unique per IP, reversible, stable across re-creation. */
export function deriveVmacFromIpv4(prefix: string, ip: string): string {
  const p = parseVmacPrefix(prefix);
  const parsed = parseIpAddress(ip);
  if (parsed.family !== "ipv4") throw new AppError("BAD_REQUEST", `${ip} is not IPv4: IPv6 VMACs are drawn from the prefix pool`);
  const octets = parsed.ip.split(".").map((o) => Number(o).toString(16).padStart(2, "0"));
  return `${p}:${octets.join(":")}`;
}

/** The IPv4 address a derived VMAC stands for, or undefined when it is not one of the prefix's. */
export function ipv4FromVmac(prefix: string, mac: string): string | undefined {
  const p = parseVmacPrefix(prefix);
  const m = parseMacAddress(mac);
  if (!m.startsWith(`${p}:`)) return undefined;
  return m
    .slice(p.length + 1)
    .split(":")
    .map((h) => parseInt(h, 16))
    .join(".");
}

/** A MAC fit to be a VMAC: unicast, locally administered, not in Proxmox's range. */
export function isUsableVmac(mac: string): boolean {
  let m: string;
  try {
    m = parseMacAddress(mac);
  } catch {
    return false;
  }
  return (parseInt(m.slice(0, 2), 16) & 0x02) !== 0 && !m.startsWith(PROXMOX_OUI);
}
