import type { Binding } from "./bindings";
import { normalizeBindings } from "./bindings";
import type { JunosDialect } from "./dialect";
import { tokenizeJunosLine } from "./tokens";
import { parseInterfaceName, parseIpAddress, parseMacAddress, parseVlanName } from "./values";

/** Where a port's bindings live in the config, so a replace can delete exactly those subtrees. */
export interface BindingLocation {
  keyword: "static-ip" | "static-ipv6";
  /** ELS only: the VLAN and group the subtree sits under. */
  vlan?: string;
  group?: string;
}

export interface ParsedBindings {
  ports: Map<string, Binding[]>;
  locations: Map<string, BindingLocation[]>;
  /** `set interfaces <physical> description …`, by physical interface name. */
  descriptions: Map<string, string>;
  /** Binding lines that could not be read (incomplete or with values we refuse). */
  warnings: string[];
}

interface RawBinding {
  iface: string;
  keyword: "static-ip" | "static-ipv6";
  ip: string;
  vlan?: string;
  group?: string;
  mac?: string;
  line: string;
}

function readPairs(rest: string[], into: RawBinding): void {
  for (let i = 0; i + 1 < rest.length; i += 2) {
    if (rest[i] === "vlan") into.vlan = rest[i + 1];
    else if (rest[i] === "mac") into.mac = rest[i + 1];
  }
}

function matchLine(t: string[], dialect: JunosDialect, line: string): RawBinding | undefined {
  if (t[0] !== "set") return undefined;
  if (dialect === "non-els" && t[1] === "ethernet-switching-options" && t[2] === "secure-access-port" && t[3] === "interface") {
    const [iface, kw, ip] = [t[4], t[5], t[6]];
    if (!iface || (kw !== "static-ip" && kw !== "static-ipv6") || !ip) return undefined;
    const p: RawBinding = { iface, keyword: kw, ip, line };
    readPairs(t.slice(7), p);
    return p;
  }
  if (dialect === "els" && t[1] === "vlans" && t[3] === "forwarding-options" && t[4] === "dhcp-security" && t[5] === "group" && t[7] === "interface") {
    const [vlan, group, iface, kw, ip] = [t[2], t[6], t[8], t[9], t[10]];
    if (!vlan || !group || !iface || (kw !== "static-ip" && kw !== "static-ipv6") || !ip) return undefined;
    const p: RawBinding = { iface, keyword: kw, ip, vlan, group, line };
    readPairs(t.slice(11), p);
    return p;
  }
  return undefined;
}

/** VLANs the configuration defines (`set vlans NAME vlan-id N`): a binding on any other fails the commit. */
export function parseDefinedVlans(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const t = tokenizeJunosLine(raw.trim());
    if (t[0] === "set" && t[1] === "vlans" && t[2] && t[3] === "vlan-id") out.add(t[2]);
  }
  return out;
}

/**
 * Reads the bindings out of `show configuration | display set`. Junos may print a binding as one
 * line or as one line per leaf (vlan, mac); both are merged by their key.
 */
export function parseBindingsFromDisplaySet(text: string, dialect: JunosDialect): ParsedBindings {
  const merged = new Map<string, RawBinding>();
  const descriptions = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const tokens = tokenizeJunosLine(line);
    if (tokens[0] === "set" && tokens[1] === "interfaces" && tokens[3] === "description" && tokens[2] && tokens[4] !== undefined)
      descriptions.set(tokens[2], tokens[4]);
    const p = matchLine(tokens, dialect, line);
    if (!p) continue;
    // Non-ELS keys a binding by port and IP (vlan is a leaf); ELS also by the VLAN it sits under.
    const key = [p.iface, dialect === "els" ? p.vlan : "", p.group ?? "", p.keyword, p.ip].join("|");
    const prev = merged.get(key);
    merged.set(key, { ...prev, ...p, vlan: p.vlan ?? prev?.vlan, mac: p.mac ?? prev?.mac });
  }
  const ports = new Map<string, Binding[]>();
  const locations = new Map<string, BindingLocation[]>();
  const warnings: string[] = [];
  for (const p of merged.values()) {
    try {
      const iface = parseInterfaceName(p.iface);
      if (!p.vlan || !p.mac) throw new Error(`no ${p.vlan ? "mac" : "vlan"}`);
      const { ip, family } = parseIpAddress(p.ip);
      const binding: Binding = { ip, family, mac: parseMacAddress(p.mac), vlan: parseVlanName(p.vlan) };
      ports.set(iface, [...(ports.get(iface) ?? []), binding]);
      const loc: BindingLocation = { keyword: p.keyword, ...(dialect === "els" ? { vlan: p.vlan, group: p.group } : {}) };
      const locs = locations.get(iface) ?? [];
      if (!locs.some((l) => l.keyword === loc.keyword && l.vlan === loc.vlan && l.group === loc.group)) locs.push(loc);
      locations.set(iface, locs);
    } catch (e) {
      warnings.push(`${p.line}: ${(e as Error).message}`);
    }
  }
  for (const [iface, list] of ports) ports.set(iface, normalizeBindings(list));
  return { ports, locations, descriptions, warnings };
}

/**
 * The switch's own names for VLAN ids (`set vlans NAME vlan-id N`): a binding names its VLAN as
 * the switch does (`VLAN.13`, `v13-customers`, …). An id defined twice keeps its first name.
 */
export function parseVlanNamesById(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const raw of text.split(/\r?\n/)) {
    const t = tokenizeJunosLine(raw.trim());
    if (t[0] === "set" && t[1] === "vlans" && t[2] && t[3] === "vlan-id" && /^\d{1,4}$/.test(t[4] ?? "")) {
      const id = Number(t[4]);
      if (!out.has(id)) out.set(id, t[2]);
    }
  }
  return out;
}

/**
 * The VLAN ids each port is an access member of, by logical interface (`X.0`): where a panel's
 * "range" VLAN mode put the server. EX switches document two forms, both read, in both dialects:
 * `set interfaces X unit 0 family ethernet-switching vlan members V` (V a VLAN name or id) and the
 * VLAN-side `set vlans NAME interface X.0` (Junos 13.2 `[edit vlans]` hierarchy: `vlans { NAME {
 * interface { interface-name; } } }`; batfish/batfish#4999 reads it the same way). A port given
 * without its unit is unit 0.
 */
export function parsePortVlanIds(text: string): Map<string, number[]> {
  const byName = parseVlanNamesById(text);
  const idOf = new Map([...byName].map(([id, name]) => [name, id]));
  const out = new Map<string, number[]>();
  const add = (iface: string, id: number | undefined) => {
    if (id === undefined) return;
    out.set(iface, [...new Set([...(out.get(iface) ?? []), id])]);
  };
  for (const raw of text.split(/\r?\n/)) {
    const t = tokenizeJunosLine(raw.trim());
    if (t[0] !== "set") continue;
    if (t[1] === "vlans" && t[2] && t[3] === "interface" && t[4]) {
      add(t[4].includes(".") ? t[4] : `${t[4]}.0`, idOf.get(t[2]));
      continue;
    }
    if (t[1] !== "interfaces" || t[3] !== "unit" || t[5] !== "family" || t[6] !== "ethernet-switching" || t[7] !== "vlan" || t[8] !== "members" || !t[9])
      continue;
    add(`${t[2]}.${t[4]}`, /^\d{1,4}$/.test(t[9]) ? Number(t[9]) : idOf.get(t[9]));
  }
  return out;
}
