import { parseInterfaceName, parseIpAddress, parseMacAddress, parseVlanName, type IpFamily } from "./values";

/** One static IP/MAC binding on a switch port, every field canonical. */
export interface Binding {
  ip: string;
  family: IpFamily;
  mac: string;
  vlan: string;
}

export interface PortBindings {
  interface: string;
  bindings: Binding[];
  /** Set on the physical interface when given; left alone when undefined. */
  description?: string;
}

/** Validates raw values (from a panel, a form, a test) into a canonical binding; throws naming the bad one. */
export function parseBinding(raw: { ip: string; mac: string; vlan: string }): Binding {
  const { ip, family } = parseIpAddress(raw.ip);
  return { ip, family, mac: parseMacAddress(raw.mac), vlan: parseVlanName(raw.vlan) };
}

export function parsePortBindings(raw: { interface: string; bindings: Array<{ ip: string; mac: string; vlan: string }> }): PortBindings {
  return { interface: parseInterfaceName(raw.interface), bindings: raw.bindings.map(parseBinding) };
}

export function bindingKey(b: Binding): string {
  return `${b.vlan}|${b.ip}|${b.mac}`;
}

/** Sorted, de-duplicated: two lists with the same bindings compare equal. */
export function normalizeBindings(bindings: readonly Binding[]): Binding[] {
  const byKey = new Map(bindings.map((b) => [bindingKey(b), b]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

export function areBindingsEqual(a: readonly Binding[], b: readonly Binding[]): boolean {
  const x = normalizeBindings(a).map(bindingKey);
  const y = normalizeBindings(b).map(bindingKey);
  return x.length === y.length && x.every((k, i) => k === y[i]);
}
