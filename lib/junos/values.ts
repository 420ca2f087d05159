import { AppError } from "../errors";

export { parseIpAddress, type IpFamily } from "../net/ip";

// Every value that enters a Junos command passes one of these first. Each returns the value in
// one canonical spelling or throws an error naming it; none lets a space, quote, pipe, semicolon
// or line break through.

function reject(kind: string, value: string, why: string): never {
  throw new AppError("BAD_REQUEST", `${kind} ${JSON.stringify(value)} ${why}`, { field: kind });
}

const PHYSICAL = /^(ge|xe|et|mge)-(\d{1,2})\/(\d{1,2})\/(\d{1,3})(?:\.(\d{1,5}))?$/;
const AGGREGATE = /^ae(\d{1,3})(?:\.(\d{1,5}))?$/;

/** `ge-0/0/1.0`, `xe-1/2/47.0`, `ae0.0`; a missing unit means unit 0. */
export function parseInterfaceName(value: string): string {
  const phys = PHYSICAL.exec(value);
  if (phys) {
    const [, media, fpc, pic, port, unit] = phys;
    return `${media}-${Number(fpc)}/${Number(pic)}/${Number(port)}.${checkUnit(value, unit)}`;
  }
  const ae = AGGREGATE.exec(value);
  if (ae) return `ae${Number(ae[1])}.${checkUnit(value, ae[2])}`;
  return reject("interface", value, "is not a switch port (ge-|xe-|et-|mge-FPC/PIC/PORT[.UNIT] or aeN[.UNIT])");
}

function checkUnit(value: string, unit: string | undefined): number {
  const n = Number(unit ?? 0);
  if (n > 16_385) reject("interface", value, "has a unit above 16385");
  return n;
}

const DESCRIPTION = /^[A-Za-z0-9._:/-]{1,64}$/;

/** An interface description we write: one plain token (no quotes needed, none accepted), 64 at most. */
export function parseDescription(value: string): string {
  if (!DESCRIPTION.test(value)) reject("description", value, "is not a plain description (letters, digits, . _ : / -; 64 at most)");
  return value;
}

/** `ge-0/0/5.0` → `ge-0/0/5`: descriptions live on the physical (or ae) interface. */
export function physicalInterface(iface: string): string {
  return iface.replace(/\.\d+$/, "");
}

const VLAN_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/** A Junos VLAN name such as `VLAN.13`: a letter, then letters, digits, `.`, `-`, `_` (64 at most). */
export function parseVlanName(value: string): string {
  if (!VLAN_NAME.test(value)) reject("VLAN name", value, "is not a VLAN name (a letter, then letters, digits, . - _; 64 at most)");
  return value;
}

/** ELS dhcp-security group names follow the same grammar as VLAN names. */
export function parseGroupName(value: string): string {
  if (!VLAN_NAME.test(value)) reject("group", value, "is not a group name (a letter, then letters, digits, . - _; 64 at most)");
  return value;
}

const MAC_FORMS = [
  /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i,
];

/**
 * A unicast MAC in any common notation (`AA:BB:…`, `aa-bb-…`, `aabb.ccdd.eeff`, `aabbccddeeff`)
 * → `aa:bb:cc:dd:ee:ff`. Multicast and all-zero addresses cannot be a host's binding.
 */
export function parseMacAddress(value: string): string {
  for (const form of MAC_FORMS) {
    const m = form.exec(value);
    if (!m) continue;
    const octets = m.slice(1).map((o) => o.toLowerCase());
    if (parseInt(octets[0]!, 16) & 1) reject("MAC address", value, "is a multicast address");
    if (octets.every((o) => o === "00")) reject("MAC address", value, "is all zeros");
    return octets.join(":");
  }
  return reject("MAC address", value, "is not a MAC address");
}
