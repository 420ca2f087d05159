import ipaddr from "ipaddr.js";
import { AppError } from "../errors";

export type IpFamily = "ipv4" | "ipv6";

/** An IPv4 (dotted quad) or IPv6 host address, canonical (RFC 5952 for IPv6). */
export function parseIpAddress(value: string): { ip: string; family: IpFamily } {
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return { ip: ipaddr.IPv4.parse(value).toString(), family: "ipv4" };
  if (/^[0-9A-Fa-f:.]+$/.test(value) && ipaddr.IPv6.isValid(value)) {
    return { ip: ipaddr.IPv6.parse(value).toRFC5952String(), family: "ipv6" };
  }
  throw new AppError("BAD_REQUEST", `IP address ${JSON.stringify(value)} is not an IPv4 or IPv6 address`, { field: "IP address" });
}

// A dotted quad as ipaddr's isValidFourPartDecimal takes it (no leading zeros, each part ≤ 255).
const DOTTED_QUAD = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `value` is an address parseIpAddress accepts (a filter for text from outside, e.g. a guest agent). */
export function isIpAddress(value: string): boolean {
  // The common case without a parse: drift checks every guest's addresses on each load (bench:pages).
  if (DOTTED_QUAD.test(value)) return true;
  if (!value.includes(":")) return false;
  try {
    parseIpAddress(value);
    return true;
  } catch {
    return false;
  }
}
