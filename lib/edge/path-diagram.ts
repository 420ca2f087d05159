import type { EdgePath, HopKind, PathHop } from "./path";

// The edge path as a picture: one box per hop, in order, each named by what it is and linked to the
// console page about it. Pure: the hops are the path's own (lib/edge/path.ts), nothing re-derived.

export const HOP_KIND_LABELS: Record<HopKind, string> = {
  hostname: "hostname",
  "proxy-host": "NPM",
  "port-forward": "UDM forward",
  stream: "NPM stream",
  "lan-endpoint": "IP:port",
  guest: "VMID",
  node: "node",
  "node-nic": "node NIC",
  "switch-port": "switch port",
  "patch-panel": "patch panel",
};

export interface DiagramStep {
  kind: HopKind;
  kindLabel: string;
  label: string;
  detail: string | null;
  /** The console page about this hop; null where the console has none (NPM's hosts, a bridge, a panel). */
  href: string | null;
  isUnconfirmed: boolean;
  isStale: boolean;
}

export interface PathDiagram {
  id: string;
  title: string;
  steps: DiagramStep[];
  /** The whole path in one sentence, for a screen reader: `a (hostname) → b (NPM) → …`. */
  description: string;
}

const q = (s: string) => encodeURIComponent(s);

/** Where a hop is shown in the console; `switchIds` maps our managed switches' names to their pages. */
export function findHopHref(hop: PathHop, switchIds: Readonly<Record<string, number>>): string | null {
  const ref = hop.ref;
  switch (hop.kind) {
    case "hostname":
      return ref?.domain ? `/it/ports?q=${q(ref.domain)}` : null;
    case "lan-endpoint":
      return ref?.ip ? `/it/addresses/${q(ref.ip)}` : null;
    case "guest":
      return ref?.node ? `/it/proxmox#node-${q(ref.node)}` : null;
    case "node":
      return ref?.node ? `/it/hosts#host-${q(ref.node)}` : null;
    case "switch-port": {
      if (!ref?.switchName) return null;
      const id = switchIds[ref.switchName];
      // A managed (Junos) switch has its page; a UniFi switch is in the port map.
      return id !== undefined ? `/it/switches/${id}` : `/it/ports?q=${q(`${ref.switchName}:${ref.port ?? ""}`)}`;
    }
    default:
      return null;
  }
}

export function computePathDiagram(path: EdgePath, switchIds: Readonly<Record<string, number>> = {}): PathDiagram {
  const steps = path.hops.map((h): DiagramStep => ({
    kind: h.kind,
    kindLabel: HOP_KIND_LABELS[h.kind],
    label: h.label,
    detail: h.detail ?? null,
    href: findHopHref(h, switchIds),
    isUnconfirmed: !!h.isUnconfirmed,
    isStale: h.freshness.isStale,
  }));
  const description = steps.map((s) => `${s.label} (${s.kindLabel}${s.isUnconfirmed ? ", unconfirmed" : ""}${s.isStale ? ", stale" : ""})`).join(" → ");
  return { id: path.id, title: path.title, steps, description };
}
