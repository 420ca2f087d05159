import type { Binding } from "./bindings";

/**
 * Non-ELS EX (EX2200/3200/4200…) keeps bindings under ethernet-switching-options; ELS
 * (EX2300/3400/4300 and later) has no such hierarchy and keeps them per VLAN under dhcp-security.
 */
export type JunosDialect = "non-els" | "els";

export const STATIC_KEYWORDS = { ipv4: "static-ip", ipv6: "static-ipv6" } as const;

/** The path (tokens) of one port's binding subtree; `null` matches any one token. */
export function bindingSubtreePrefixes(dialect: JunosDialect, iface: string): Array<Array<string | null>> {
  return Object.values(STATIC_KEYWORDS).map((kw) =>
    dialect === "non-els"
      ? ["ethernet-switching-options", "secure-access-port", "interface", iface, kw]
      : ["vlans", null, "forwarding-options", "dhcp-security", "group", null, "interface", iface, kw],
  );
}

export function buildSetBinding(dialect: JunosDialect, iface: string, b: Binding, group: string): string {
  const kw = STATIC_KEYWORDS[b.family];
  return dialect === "non-els"
    ? `set ethernet-switching-options secure-access-port interface ${iface} ${kw} ${b.ip} vlan ${b.vlan} mac ${b.mac}`
    : `set vlans ${b.vlan} forwarding-options dhcp-security group ${group} interface ${iface} ${kw} ${b.ip} mac ${b.mac}`;
}
