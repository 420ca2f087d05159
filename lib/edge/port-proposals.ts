import type { EdgeSwitch, NodeNetworkSnapshotData, UnifiSnapshotData } from "./data";
import type { Freshness } from "./freshness";
import type { LiveInventoryGuest } from "../inventory/snapshot";
import type { JunosLinkFact, PortMapFact } from "./path";

// Port map rows proposed from what the network reports, never typed by anyone: UniFi's LLDP
// neighbours (chassis MAC + port id per switch port), its LAGs (`aggregated_by`) and client table
// (`sw_mac`/`sw_port`), and our Juniper switches' LLDP and LACP as their last backup read them.
// Pure: the same inputs give the same proposals to the port map page, the path and the findings.
//
// Which node a chassis MAC belongs to is not something LLDP says on UniFi (its lldp_table carries
// no system name: unpoller/unifi `LLDPTable{chassis_id, is_wired, local_port_idx, local_port_name,
// port_id}`), and Proxmox gives no NIC MACs (`/nodes/{node}/network`, proxmox-api.md). So a
// chassis is named by, in order: a typed row's far-end MAC, the client table (the node's own
// wired client entry whose hostname is the node), our switches' LLDP (which does send a system
// name), or the guests Proxmox puts on one node whose MACs the client table sees on that port.

export type ProposalSource = "unifi-lldp" | "junos-lldp" | "unifi-clients";

export interface PortProposal {
  /** `switch#port`: what confirming names. */
  key: string;
  switchName: string;
  switchKind: "unifi" | "juniper";
  /** The port as the map types it: UniFi's port_idx, or the Junos interface (ge-0/0/2). */
  port: string;
  /** The switch-side bundle: `LAG 3 (ports 5, 6)` or `ae1`; null when the port is in none. */
  lag: string | null;
  farHost: string;
  /** Null when what was heard does not say which NIC (see `nicNote`). */
  farNic: string | null;
  /** The NIC's MAC when known (an LLDP port id that is a MAC); else null, said in `macNote`. */
  farMac: string | null;
  /** The node's bond holding the NIC (bond0), from its Proxmox network. */
  hostBond: string | null;
  source: ProposalSource;
  /** What was heard, in words: `LLDP chassis 0c:… port eno1`, `guests 7800, 2101 seen in the client table`. */
  evidence: string;
  nicNote: string | null;
  macNote: string | null;
  seenAt: Date | null;
  freshness: Freshness;
  /** A typed row this proposal contradicts: the row is kept, the proposal cannot be confirmed. */
  contradicts: { entryId: number; message: string } | null;
}

export interface ProposalInputs {
  unifi: { data: UnifiSnapshotData | null; freshness: Freshness };
  junos?: JunosLinkFact[];
  nodeNetworks: { data: NodeNetworkSnapshotData | null; freshness: Freshness };
  inventory: { guests: LiveInventoryGuest[]; freshness: Freshness };
  portMap: PortMapFact[];
}

const lower = (s: string) => s.trim().toLowerCase();
const normalizeMac = (mac: string) => mac.trim().toLowerCase().replace(/-/g, ":");
const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;
const stripUnit = (port: string) => port.trim().replace(/\.\d+$/, "");
export const isSamePort = (a: string, b: string) => lower(stripUnit(a)) === lower(stripUnit(b));
/** A name names the node when equal, or when its first label is the node (`r630-04.example.org`). */
export const isSameHost = (name: string | null | undefined, node: string) =>
  Boolean(name && (lower(name) === lower(node) || lower(name).split(".")[0] === lower(node)));

/** Every node we know of: from their networks and from where guests run. */
function listNodes(inputs: ProposalInputs): string[] {
  return [...new Set([...(inputs.nodeNetworks.data?.nodes.map((n) => n.node) ?? []), ...inputs.inventory.guests.map((g) => g.node)])];
}

function nodeIfaces(inputs: ProposalInputs, node: string) {
  return inputs.nodeNetworks.data?.nodes.find((n) => lower(n.node) === lower(node))?.ifaces ?? [];
}

/** chassis MAC → node, from typed rows, the UniFi client table and our switches' LLDP system names. */
function mapChassisToNodes(inputs: ProposalInputs, nodes: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const put = (mac: string, name: string | null | undefined) => {
    const node = nodes.find((n) => isSameHost(name, n));
    if (node && !out.has(normalizeMac(mac))) out.set(normalizeMac(mac), node);
  };
  for (const r of inputs.portMap) if (r.farMac && r.farHost) put(r.farMac, r.farHost);
  for (const c of inputs.unifi.data?.clients ?? []) if (c.isWired) put(c.mac, c.hostname);
  for (const sw of inputs.junos ?? []) for (const n of sw.neighbors) if (MAC.test(n.chassisId)) put(n.chassisId, n.systemName);
  return out;
}

/** The LAG a UniFi port is in: its primary and every member. */
function findUnifiLag(device: EdgeSwitch, idx: number): { primary: number; ports: number[] } | null {
  const port = device.ports.find((p) => p.idx === idx);
  if (!port) return null;
  const primary = port.aggregatedBy ?? (port.lagIdx !== null ? port.idx : null);
  if (primary === null) return null;
  const ports = [primary, ...device.ports.filter((p) => p.aggregatedBy === primary).map((p) => p.idx)].sort((a, b) => a - b);
  return ports.length > 1 || port.lagIdx !== null ? { primary, ports } : null;
}

const describeUnifiLag = (device: EdgeSwitch, lag: { primary: number; ports: number[] }) => {
  const lagIdx = device.ports.find((p) => p.idx === lag.primary)?.lagIdx ?? lag.primary;
  return `LAG ${lagIdx} (ports ${lag.ports.join(", ")})`;
};

/** The node's bond a NIC is a slave of. */
const findHostBond = (inputs: ProposalInputs, node: string, nic: string | null) =>
  nic ? (nodeIfaces(inputs, node).find((i) => i.type === "bond" && i.slaves.some((s) => lower(s) === lower(nic)))?.iface ?? null) : null;

/** What an LLDP port id says about the node's NIC: its name, or a MAC we cannot tie to a NIC. */
function readPortId(inputs: ProposalInputs, node: string, portId: string): Pick<PortProposal, "farNic" | "farMac" | "nicNote" | "macNote"> {
  const nics = nodeIfaces(inputs, node).filter((i) => i.type === "eth" || i.type === "bond");
  const named = nics.find((i) => lower(i.iface) === lower(portId));
  if (named) return { farNic: named.iface, farMac: null, nicNote: null, macNote: "NIC MAC unknown: Proxmox reports none, and LLDP sent the NIC's name" };
  if (MAC.test(portId)) {
    // A typed row of this node may already say which NIC has this MAC.
    const typed = inputs.portMap.find((r) => r.farMac && normalizeMac(r.farMac) === normalizeMac(portId) && isSameHost(r.farHost, node) && r.farNic);
    if (typed) return { farNic: typed.farNic, farMac: normalizeMac(portId), nicNote: null, macNote: null };
    return {
      farNic: null,
      farMac: normalizeMac(portId),
      nicNote: `NIC unknown: LLDP sent MAC ${normalizeMac(portId)} as port id, and Proxmox gives no NIC MACs to match it`,
      macNote: null,
    };
  }
  return {
    farNic: null,
    farMac: null,
    nicNote: `NIC unknown: LLDP sent port id "${portId}", which is no NIC of ${node}`,
    macNote: "NIC MAC unknown",
  };
}

/** The guests' nodes behind a UniFi port (or its LAG), from the client table. */
function findNodesByClients(inputs: ProposalInputs, device: EdgeSwitch, ports: number[]): Map<string, number[]> {
  const byMac = new Map<string, LiveInventoryGuest>();
  for (const g of inputs.inventory.guests) for (const n of g.nics) if (n.mac) byMac.set(normalizeMac(n.mac), g);
  const out = new Map<string, number[]>();
  for (const c of inputs.unifi.data?.clients ?? []) {
    if (!c.switchMac || normalizeMac(c.switchMac) !== normalizeMac(device.mac) || c.switchPort === null || !ports.includes(c.switchPort)) continue;
    const g = byMac.get(normalizeMac(c.mac));
    if (g) out.set(g.node, [...(out.get(g.node) ?? []), g.vmid]);
  }
  return out;
}

function proposeFromUnifi(inputs: ProposalInputs, nodes: string[], chassis: Map<string, string>): PortProposal[] {
  const out: PortProposal[] = [];
  const { data, freshness } = inputs.unifi;
  for (const device of data?.devices ?? []) {
    const heardPorts = new Set<number>();
    for (const p of device.ports) {
      const lag = findUnifiLag(device, p.idx);
      for (const l of p.lldp) {
        const lagPorts = lag?.ports ?? [p.idx];
        const node = chassis.get(normalizeMac(l.chassisId)) ?? onlyNode(findNodesByClients(inputs, device, lagPorts));
        if (!node) continue;
        heardPorts.add(p.idx);
        out.push({
          key: `${device.name}#${p.idx}`,
          switchName: device.name,
          switchKind: "unifi",
          port: String(p.idx),
          lag: lag ? describeUnifiLag(device, lag) : null,
          farHost: node,
          ...readPortId(inputs, node, l.portId),
          hostBond: null,
          source: "unifi-lldp",
          evidence: `LLDP chassis ${normalizeMac(l.chassisId)} port ${l.portId}${chassis.has(normalizeMac(l.chassisId)) ? "" : " (chassis named by its guests in the client table)"}`,
          seenAt: freshness.collectedAt,
          freshness,
          contradicts: null,
        });
        break;
      }
    }
    // Ports (or LAGs) that hear no LLDP but carry one node's guests: the node, NIC unknown.
    const seen = new Set<number>();
    for (const p of device.ports) {
      if (seen.has(p.idx)) continue;
      const lag = findUnifiLag(device, p.idx);
      const ports = lag?.ports ?? [p.idx];
      ports.forEach((i) => seen.add(i));
      if (ports.some((i) => heardPorts.has(i)) || p.isUplink) continue;
      const byNode = findNodesByClients(inputs, device, ports);
      const node = onlyNode(byNode);
      if (!node) continue;
      for (const idx of ports)
        out.push({
          key: `${device.name}#${idx}`,
          switchName: device.name,
          switchKind: "unifi",
          port: String(idx),
          lag: lag ? describeUnifiLag(device, lag) : null,
          farHost: node,
          farNic: null,
          farMac: null,
          nicNote: "NIC unknown: this port hears no LLDP; only the client table places the node's guests here",
          macNote: "NIC MAC unknown",
          hostBond: null,
          source: "unifi-clients",
          evidence: `guests ${byNode.get(node)!.join(", ")} of ${node} seen on ${lag ? `the LAG of port ${lag.primary}` : `port ${idx}`} in the client table`,
          seenAt: freshness.collectedAt,
          freshness,
          contradicts: null,
        });
    }
  }
  return out;
}

/** The one node a set of guests runs on; none when they run on several (a switch uplink, not a node). */
function onlyNode(byNode: Map<string, number[]>): string | undefined {
  return byNode.size === 1 ? [...byNode.keys()][0] : undefined;
}

function proposeFromJunos(inputs: ProposalInputs, nodes: string[], chassis: Map<string, string>): PortProposal[] {
  const out: PortProposal[] = [];
  for (const sw of inputs.junos ?? []) {
    for (const n of sw.neighbors) {
      const node = nodes.find((x) => isSameHost(n.systemName, x)) ?? (MAC.test(n.chassisId) ? chassis.get(normalizeMac(n.chassisId)) : undefined);
      if (!node) continue;
      // A neighbour heard on an ae (some releases report it there) stands for the bundle's member ports.
      const onBundle = sw.bundles.find((b) => isSamePort(b.bundle, n.localPort));
      const ports = onBundle ? onBundle.members.map((m) => m.port) : [stripUnit(n.localPort)];
      for (const port of ports) {
        if (out.some((o) => o.switchName === sw.switchName && isSamePort(o.port, port))) continue;
        const bundle =
          onBundle?.bundle ??
          (n.parentBundle ? stripUnit(n.parentBundle) : null) ??
          sw.bundles.find((b) => b.members.some((m) => isSamePort(m.port, port)))?.bundle ??
          null;
        out.push({
          key: `${sw.switchName}#${port}`,
          switchName: sw.switchName,
          switchKind: "juniper",
          port,
          lag: bundle,
          farHost: node,
          ...readPortId(inputs, node, n.portInfo),
          hostBond: null,
          source: "junos-lldp",
          evidence: `LLDP chassis ${n.chassisId} port ${n.portInfo}${n.systemName ? ` (${n.systemName})` : ""}`,
          seenAt: sw.freshness.collectedAt,
          freshness: sw.freshness,
          contradicts: null,
        });
      }
    }
  }
  return out;
}

/** Why a typed row and a proposal cannot both be right, or null when they agree (or the row says nothing of the far end). */
function findContradiction(p: PortProposal, portMap: PortMapFact[]): PortProposal["contradicts"] {
  const here = portMap.find((r) => lower(r.switchName) === lower(p.switchName) && isSamePort(r.port, p.port));
  if (here?.farHost && !isSameHost(here.farHost, p.farHost))
    return {
      entryId: here.id,
      message: `${p.switchName}:${p.port} is typed as ${here.farHost}${here.farNic ? ` ${here.farNic}` : ""}, but ${p.evidence} names ${p.farHost}`,
    };
  if (here?.farHost && here.farNic && p.farNic && lower(here.farNic) !== lower(p.farNic))
    return {
      entryId: here.id,
      message: `${p.switchName}:${p.port} is typed as ${here.farHost} ${here.farNic}, but ${p.evidence} names ${p.farHost} ${p.farNic}`,
    };
  if (p.farNic) {
    const elsewhere = portMap.find(
      (r) =>
        isSameHost(r.farHost, p.farHost) &&
        r.farNic &&
        lower(r.farNic) === lower(p.farNic!) &&
        !(lower(r.switchName) === lower(p.switchName) && isSamePort(r.port, p.port)),
    );
    if (elsewhere)
      return {
        entryId: elsewhere.id,
        message: `${p.farHost} ${p.farNic} is typed on ${elsewhere.switchName}:${elsewhere.port}, but ${p.evidence} is heard on ${p.switchName}:${p.port}`,
      };
  }
  return null;
}

/** Whether a typed row already says what the proposal says (then it is confirmed, not proposed). */
function isConfirmedBy(p: PortProposal, portMap: PortMapFact[]): boolean {
  return portMap.some(
    (r) =>
      lower(r.switchName) === lower(p.switchName) &&
      isSamePort(r.port, p.port) &&
      isSameHost(r.farHost, p.farHost) &&
      (!p.farNic || (r.farNic !== null && lower(r.farNic) === lower(p.farNic))),
  );
}

/**
 * Every port map row the network proposes and no typed row already says: each with its source,
 * when it was seen, and the typed row it contradicts (the typed row is kept). Sorted by switch and
 * port as people count them.
 */
export function computePortProposals(inputs: ProposalInputs): PortProposal[] {
  const nodes = listNodes(inputs);
  const chassis = mapChassisToNodes(inputs, nodes);
  const all = [...proposeFromUnifi(inputs, nodes, chassis), ...proposeFromJunos(inputs, nodes, chassis)];
  const byNatural = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  return all
    .map((p) => ({ ...p, hostBond: findHostBond(inputs, p.farHost, p.farNic), contradicts: findContradiction(p, inputs.portMap) }))
    .filter((p) => !isConfirmedBy(p, inputs.portMap))
    .sort((a, b) => byNatural.compare(a.switchName, b.switchName) || byNatural.compare(a.port, b.port));
}

/** The row a confirmed proposal becomes: the switch side, the far end, and where it came from in the notes. */
export function describeConfirmedRow(p: PortProposal) {
  return {
    switchName: p.switchName,
    switchKind: p.switchKind,
    port: p.port,
    farHost: p.farHost,
    farNic: p.farNic,
    farMac: p.farMac,
    bond: p.lag ?? p.hostBond,
    notes: `Confirmed from ${SOURCE_LABELS[p.source]}: ${p.evidence}${p.nicNote ? `; ${p.nicNote}` : ""}`,
  };
}

export const SOURCE_LABELS: Record<ProposalSource, string> = {
  "unifi-lldp": "UniFi LLDP",
  "junos-lldp": "our switch's LLDP",
  "unifi-clients": "the UniFi client table",
};

/** The proposals a search names: switch, port, LAG, far-end host or NIC, or what was heard. */
export function searchPortProposals(proposals: PortProposal[], query: string): PortProposal[] {
  const q = lower(query);
  if (!q) return proposals;
  return proposals.filter((p) =>
    [p.switchName, p.port, `${p.switchName}:${p.port}`, p.lag, p.farHost, p.farNic, p.evidence].some((t) => t && t.toLowerCase().includes(q)),
  );
}
