import type { UnifiSnapshotData } from "./data";
import type { Freshness } from "./freshness";
import { findPortMapDisagreements, type JunosLinkFact, type PortMapFact } from "./path";

// The searchable physical map: each typed row beside what the UniFi collector (or our Juniper
// switch's last backup: LLDP and LACP) saw on that port, plus the collected ports nobody has typed
// yet (up, or hearing an LLDP neighbour). A typed value
// is never replaced by a collected one; a disagreement is shown on the row.

export interface CollectedPort {
  name: string;
  isUp: boolean;
  /** Null when the source does not tell (our switches' LLDP/LACP reading has no speed). */
  speedMbps: number | null;
  isUplink: boolean;
  /** "LAG 3" on a primary port, "in LAG of port 5" on a member. */
  lag: string | null;
  lldp: string | null;
  freshness: Freshness;
}

export interface PortMapViewRow {
  key: string;
  switchName: string;
  port: string;
  /** The typed row's id, or null for a port only the collector knows. */
  entryId: number | null;
  collected: CollectedPort | null;
  disagreements: string[];
}

const lower = (s: string) => s.trim().toLowerCase();

const stripUnit = (port: string) => port.trim().replace(/\.\d+$/, "");

/** What our switch's backup read of a port: its LLDP neighbour and ae membership. */
function findJunosPort(junos: JunosLinkFact[], switchName: string, port: string): { key: string; c: CollectedPort } | null {
  const sw = junos.find((j) => lower(j.switchName) === lower(switchName));
  if (!sw) return null;
  const name = lower(stripUnit(port));
  const n = sw.neighbors.find((x) => lower(x.localPort) === name);
  const bundle = sw.bundles.find((b) => b.members.some((m) => lower(m.port) === name));
  const member = bundle?.members.find((m) => lower(m.port) === name);
  if (!n && !bundle) return null;
  return {
    key: `junos:${sw.switchName}#${stripUnit(port)}`,
    c: {
      name: stripUnit(port),
      // An LLDP neighbour is only heard over a link that is up; an LACP member is up when it collects and distributes.
      isUp: Boolean(n) || Boolean(member?.actor?.isCollecting && member.actor.isDistributing),
      speedMbps: null,
      isUplink: false,
      lag: bundle ? `in ${bundle.bundle}` : n?.parentBundle ? `in ${n.parentBundle}` : null,
      lldp: n ? `${n.chassisId} ${n.portInfo}${n.systemName ? ` (${n.systemName})` : ""}` : null,
      freshness: sw.freshness,
    },
  };
}

export function computePortMapView(
  entries: PortMapFact[],
  unifi: { data: UnifiSnapshotData | null; freshness: Freshness },
  junos: JunosLinkFact[] = [],
): PortMapViewRow[] {
  const disagreements = findPortMapDisagreements({ unifi, portMap: entries, junos });
  const rows: PortMapViewRow[] = [];
  const typed = new Set<string>();
  const collectedFor = (switchName: string, port: string): { key: string; c: CollectedPort } | null => {
    const device = unifi.data?.devices.find((d) => lower(d.name) === lower(switchName));
    const p = device?.ports.find((x) => String(x.idx) === port.trim() || lower(x.name) === lower(port));
    if (!device || !p) return findJunosPort(junos, switchName, port);
    return {
      key: `${device.mac}#${p.idx}`,
      c: {
        name: p.name,
        // A LAG member's own state is not reported truthfully (edge-apis.md): its primary's is what counts.
        isUp: p.aggregatedBy !== null ? (device.ports.find((x) => x.idx === p.aggregatedBy)?.isUp ?? p.isUp) : p.isUp,
        speedMbps: p.aggregatedBy !== null ? (device.ports.find((x) => x.idx === p.aggregatedBy)?.speedMbps ?? p.speedMbps) : p.speedMbps,
        isUplink: p.isUplink,
        lag: p.lagIdx !== null ? `LAG ${p.lagIdx}` : p.aggregatedBy !== null ? `in LAG of port ${p.aggregatedBy}` : null,
        lldp: p.lldp[0] ? `${p.lldp[0].chassisId} ${p.lldp[0].portId}` : null,
        freshness: unifi.freshness,
      },
    };
  };
  for (const e of entries) {
    const found = collectedFor(e.switchName, e.port);
    if (found) typed.add(found.key);
    const subject = `${e.switchName}:${e.port}`;
    rows.push({
      key: `entry:${e.id}`,
      switchName: e.switchName,
      port: e.port,
      entryId: e.id,
      collected: found?.c ?? null,
      disagreements: disagreements.filter((d) => d.subject === subject).map((d) => d.message),
    });
  }
  for (const d of unifi.data?.devices ?? []) {
    for (const p of d.ports) {
      if (typed.has(`${d.mac}#${p.idx}`) || !(p.isUp || p.lldp.length > 0)) continue;
      const found = collectedFor(d.name, String(p.idx))!;
      rows.push({ key: found.key, switchName: d.name, port: String(p.idx), entryId: null, collected: found.c, disagreements: [] });
    }
  }
  for (const sw of junos) {
    const ports = new Set([...sw.neighbors.map((n) => n.localPort), ...sw.bundles.flatMap((b) => b.members.map((m) => m.port))]);
    for (const port of ports) {
      const found = findJunosPort(junos, sw.switchName, port)!;
      if (typed.has(found.key)) continue;
      rows.push({ key: found.key, switchName: sw.switchName, port, entryId: null, collected: found.c, disagreements: [] });
    }
  }
  return rows;
}

/** The map rows a search names: switch, port, the typed far end and panel, or the collected name and LLDP neighbour. */
export function searchPortMapView(rows: PortMapViewRow[], entries: PortMapFact[], query: string): PortMapViewRow[] {
  const q = lower(query);
  if (!q) return rows;
  const byId = new Map(entries.map((e) => [e.id, e]));
  return rows.filter((r) => {
    const e = r.entryId !== null ? byId.get(r.entryId) : undefined;
    const text = [
      r.switchName,
      r.port,
      `${r.switchName}:${r.port}`,
      e?.panel,
      e?.panelPosition,
      e?.farHost,
      e?.farNic,
      e?.farMac,
      e?.bond,
      r.collected?.name,
      r.collected?.lldp,
    ]
      .filter(Boolean)
      .join(" ")
      .toLowerCase();
    return text.includes(q);
  });
}
