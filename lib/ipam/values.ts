import ipaddr from "ipaddr.js";
import { AppError } from "../errors";
import { parseIpAddress } from "../net/ip";

/** A network prefix in canonical form; host bits set is an error that names the network meant. */
export function parsePrefix(value: string): { prefix: string; family: "ipv4" | "ipv6"; length: number } {
  const text = value.trim();
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(text);
  } catch {
    throw new AppError("BAD_REQUEST", `prefix ${JSON.stringify(text)} is not a CIDR prefix such as 10.11.0.0/24`, { field: "prefix" });
  }
  const [addr, length] = parsed;
  const network = addr.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  const canonical = `${addr.kind() === "ipv6" ? (network as ipaddr.IPv6).toRFC5952String() : network.toString()}/${length}`;
  const given = `${addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString()}/${length}`;
  if (canonical !== given) throw new AppError("BAD_REQUEST", `prefix ${text} has host bits set: did you mean ${canonical}?`, { field: "prefix" });
  return { prefix: canonical, family: addr.kind() as "ipv4" | "ipv6", length };
}

export function isInPrefix(address: string, prefix: string): boolean {
  const ip = ipaddr.parse(address);
  const range = ipaddr.parseCIDR(prefix);
  return ip.kind() === range[0].kind() && ip.match(range);
}

/** The most specific prefix holding the address, or undefined. */
export function findContainingPrefix<T extends { prefix: string }>(address: string, prefixes: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestLen = -1;
  for (const p of prefixes) {
    if (!isInPrefix(address, p.prefix)) continue;
    const len = Number(p.prefix.split("/")[1]);
    if (len > bestLen) [best, bestLen] = [p, len];
  }
  return best;
}

/** A gateway must be a host of its prefix. */
export function parseGateway(value: string, prefix: string): string {
  const { ip } = parseIpAddress(value.trim());
  if (!isInPrefix(ip, prefix)) throw new AppError("BAD_REQUEST", `gateway ${ip} is not inside ${prefix}`, { field: "gateway" });
  return ip;
}

export function parseVid(value: string | number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 4094)
    throw new AppError("BAD_REQUEST", `VLAN ID ${JSON.stringify(String(value))} is not a number from 1 to 4094`, { field: "vid" });
  return n;
}
