import type { LabDialect } from "./switch-state";

// Enough of the Junos grammar to answer like a switch: which top-level hierarchies exist on
// each platform, and which binding values are well-formed.
const TOP_LEVEL = new Set([
  "system",
  "interfaces",
  "vlans",
  "protocols",
  "snmp",
  "chassis",
  "routing-options",
  "forwarding-options",
  "firewall",
  "poe",
  "ethernet-switching-options",
]);
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const TOKEN = /^[A-Za-z0-9._:/-]+$/;

/** The index of the first token Junos would refuse, or -1 when the statement is acceptable. */
export function findSyntaxError(tokens: string[], dialect: LabDialect): number {
  if (tokens.length === 0 || !TOP_LEVEL.has(tokens[0]!)) return 0;
  // ELS platforms removed this hierarchy altogether.
  if (tokens[0] === "ethernet-switching-options" && dialect === "els") return 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (!TOKEN.test(t) && prev !== "description") return i;
    if (prev === "static-ip" && !IPV4.test(t)) return i;
    if (prev === "static-ipv6" && !(IPV6.test(t) && t.includes(":"))) return i;
    if (prev === "mac" && !MAC.test(t)) return i;
  }
  return -1;
}
