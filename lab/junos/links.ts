import type { LabDialect } from "./switch-state";

// What a lab switch hears on its ports (LLDP) and which ports it bundles (LACP), set by the lab
// world, and how Junos prints both. Shapes from Juniper's EX command references:
// - `show lldp neighbors`: https://www.juniper.net/documentation/en_US/junos12.3/topics/reference/command-summary/show-lldp-neighbors-lldp-ex-series.html
//   (columns Local Interface, Parent Interface, Chassis Id, Port info, System Name). Non-ELS (12.3)
//   prints the logical unit (`ge-0/0/1.0`, parent `ae0.0`), as that page's sample does. That ELS
//   (EX3400, 15.1+) prints the physical port (`ge-0/0/1`, parent `ae0`) is a guess from captures of
//   newer releases, not from a sample on that page. The column widths (19/20/20/19) are a guess; a
//   longer value pushes the rest right with one space, as Junos tables do.
// - `show lacp interfaces`: https://www.juniper.net/documentation/en_US/junos12.3/topics/reference/command-summary/show-lacp-interfaces-ex-series.html
//   (one "Aggregated interface:" block per bundle; LACP state rows per member, Actor then Partner;
//   LACP protocol rows). The same on both dialects (no dialect difference is documented). With no
//   bundle, the page's note: "Warning: lacp subsystem not running - not needed by configuration".

export interface LabLldpNeighbor {
  /** The switch's physical port, e.g. `ge-0/0/2`. */
  port: string;
  /** The ae bundle the port is a member of (it then also shows in `show lacp interfaces`). */
  bundle?: string;
  chassisId: string;
  portInfo: string;
  systemName?: string;
}

export interface LabLacpMember {
  port: string;
  bundle: string;
  /** Collecting and distributing (the default); false: the partner is silent (Defaulted, Detached). */
  isUp?: boolean;
}

export interface LabSwitchLinks {
  lldp: LabLldpNeighbor[];
  /** Members of bundles with no LLDP neighbour of their own; members named by `lldp` are added. */
  lacp?: LabLacpMember[];
}

const col = (s: string, width: number) => (s.length >= width ? `${s} ` : s.padEnd(width));

export function renderLldpNeighbors(links: LabSwitchLinks, dialect: LabDialect): string[] {
  const unit = (name: string) => (dialect === "non-els" ? `${name}.0` : name);
  const rows = links.lldp.map((n) =>
    `${col(unit(n.port), 19)}${col(n.bundle ? unit(n.bundle) : "-", 20)}${col(n.chassisId, 20)}${col(n.portInfo, 19)}${n.systemName ?? ""}`.trimEnd(),
  );
  return [`${col("Local Interface", 19)}${col("Parent Interface", 20)}${col("Chassis Id", 20)}${col("Port info", 19)}System Name`, ...rows];
}

export function listLabLacpMembers(links: LabSwitchLinks): LabLacpMember[] {
  const members = [...(links.lacp ?? [])];
  for (const n of links.lldp) if (n.bundle && !members.some((m) => m.port === n.port)) members.push({ port: n.port, bundle: n.bundle });
  return members;
}

export function renderLacpInterfaces(links: LabSwitchLinks): string[] {
  const members = listLabLacpMembers(links);
  if (members.length === 0) return ["Warning: lacp subsystem not running - not needed by configuration."];
  const bundles = [...new Set(members.map((m) => m.bundle))].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  const out: string[] = [];
  const yn = (b: boolean) => (b ? "Yes" : "No");
  for (const bundle of bundles) {
    const own = members.filter((m) => m.bundle === bundle).sort((a, b) => a.port.localeCompare(b.port, undefined, { numeric: true }));
    out.push(`Aggregated interface: ${bundle}`, "    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity");
    for (const m of own) {
      const up = m.isUp !== false;
      for (const role of ["Actor", "Partner"] as const) {
        // A silent partner: ours runs on defaults (Def Yes) and neither side collects or distributes.
        const flags = [yn(false), yn(!up), yn(up), yn(up), yn(up), yn(true)].map((f) => f.padStart(6)).join("");
        out.push(
          `      ${m.port.padEnd(10)}${role.padStart(8)}${flags}${"Fast".padStart(9)}${(role === "Partner" && !up ? "Passive" : "Active").padStart(10)}`,
        );
      }
    }
    out.push("    LACP protocol:        Receive State  Transmit State          Mux State");
    for (const m of own) {
      const up = m.isUp !== false;
      out.push(
        `      ${m.port.padEnd(10)}${(up ? "Current" : "Defaulted").padStart(17)}${"Fast periodic".padStart(16)} ${up ? "Collecting distributing" : "Detached".padStart(18)}`,
      );
    }
  }
  return out;
}
