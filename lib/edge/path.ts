import ipaddr from "ipaddr.js";
import { guestAddresses, type LiveInventoryGuest } from "../inventory/snapshot";
import type { EdgeClient, EdgeNodeIface, NodeNetworkSnapshotData, NpmSnapshotData, UnifiSnapshotData } from "./data";
import type { Freshness } from "./freshness";
import type { LacpBundle } from "../junos/lacp-interfaces";
import type { LldpNeighbor } from "../junos/lldp-neighbors";
import { computePortProposals, isSameHost, isSamePort, SOURCE_LABELS, type PortProposal } from "./port-proposals";

// The joined edge path: public hostname → NPM proxy host (or UDM port forward) → LAN IP:port →
// guest → node → node NIC/bond → switch port(s) → patch panel. Pure: every fact comes in with its
// freshness, and every missing or contradictory link becomes a finding instead of a guess.

/** A certificate this close to expiry (or past it) is a finding. */
export const CERTIFICATE_WARN_DAYS = 14;
const DAY_MS = 86_400_000;

export type FindingKind =
  | "no-proxy-host"
  | "forward-host-not-in-ipam"
  | "ip-on-no-guest"
  | "guest-on-other-node"
  | "node-nic-unmapped"
  | "forward-ip-moved"
  | "certificate-expiring"
  | "port-map-disagrees"
  | "lldp-neighbor-unknown";

export interface EdgeFinding {
  kind: FindingKind;
  /** What it is about, as a person searches for it: a hostname, an IP, `node/nic`, `switch:port`. */
  subject: string;
  message: string;
}

export type HopKind = "hostname" | "proxy-host" | "port-forward" | "stream" | "lan-endpoint" | "guest" | "node" | "node-nic" | "switch-port" | "patch-panel";

export interface PathHop {
  kind: HopKind;
  label: string;
  detail?: string;
  freshness: Freshness;
  /** A switch port the network proposes and no admin has confirmed yet. */
  isUnconfirmed?: boolean;
  /** What the hop is, as the console's pages know it (the path diagram links each hop to its page). */
  ref?: HopRef;
}

export interface HopRef {
  domain?: string;
  ip?: string;
  vmid?: number;
  node?: string;
  switchName?: string;
  port?: string;
}

export interface EdgePath {
  /** A stable id: `npm:<hostId>[:<location>]`, `forward:<id>`, `stream:<id>`. */
  id: string;
  title: string;
  hops: PathHop[];
  findings: EdgeFinding[];
  /** Lower-cased strings the search matches: hostnames, IPs, ports, VMID, MACs, switch ports, panel positions. */
  searchTerms: string[];
}

/** A port map row as the path needs it (the typed physical map). */
export interface PortMapFact {
  id: number;
  switchName: string;
  port: string;
  panel: string | null;
  panelPosition: string | null;
  farHost: string | null;
  farNic: string | null;
  farMac: string | null;
  bond: string | null;
  updatedAt: Date;
  updatedBy: string;
}

/** One of our Juniper switches' LLDP neighbours and ae membership, as its last backup read them. */
export interface JunosLinkFact {
  switchName: string;
  neighbors: LldpNeighbor[];
  bundles: LacpBundle[];
  /** Lines of those reads that could not be parsed (left out, never guessed at), prefixed `lldp:` or `lacp:`. */
  problems: string[];
  freshness: Freshness;
}

/** A switch port a node NIC is heard on, from our Juniper switch's LLDP. */
interface JunosNicPort {
  switchName: string;
  port: string;
  bundle: string | null;
  freshness: Freshness;
}

export interface EdgeInputs {
  now: Date;
  npm: { data: NpmSnapshotData | null; freshness: Freshness };
  unifi: { data: UnifiSnapshotData | null; freshness: Freshness };
  nodeNetworks: { data: NodeNetworkSnapshotData | null; freshness: Freshness };
  inventory: { guests: LiveInventoryGuest[]; freshness: Freshness };
  ipam: { addresses: Array<{ address: string; mac: string | null; hostname: string | null }>; freshness: Freshness };
  portMap: PortMapFact[];
  /** Our Juniper switches' LLDP and LACP, from their backups (none when never read). */
  junos?: JunosLinkFact[];
  /** The switch ports Tenantos puts a server on (port security's panel-managed ports). */
  panelPorts?: Array<{ switchName: string; port: string; serverId: number }>;
  /** The DNS names we serve publicly; each should have an NPM proxy host (or a port forward). */
  servedNames: string[];
}

export interface EdgeMap {
  paths: EdgePath[];
  /** The port map rows the network proposes (the port map page lists the same). */
  proposals: PortProposal[];
  /** Every finding once (paths repeat theirs; node NICs and served names are found here only). */
  findings: EdgeFinding[];
}

const lower = (s: string) => s.trim().toLowerCase();
const normalizeMac = (mac: string) => mac.toLowerCase().replace(/-/g, ":");
const isIp = (s: string) => ipaddr.isValid(s);
/** Compares IP text regardless of notation (IPv6 zero compression, IPv4-mapped). */
const sameIp = (a: string, b: string) => {
  try {
    return ipaddr.process(a).toString() === ipaddr.process(b).toString();
  } catch {
    return a === b;
  }
};

const portMapFreshness = (e: PortMapFact): Freshness => ({ source: "port-map", collectedAt: e.updatedAt, isStale: false, error: null });

/** The physical NICs under an interface: a bridge's ports, a bond's slaves, recursively; an `eth` is itself. */
export function findPhysicalNics(ifaces: EdgeNodeIface[], name: string, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const i = ifaces.find((x) => x.iface === name);
  if (!i) return [name];
  if (i.type === "bond") return i.slaves.flatMap((s) => findPhysicalNics(ifaces, s, seen));
  if (i.type === "bridge") return i.bridgePorts.flatMap((p) => findPhysicalNics(ifaces, p, seen));
  return i.type === "eth" ? [i.iface] : [];
}

/** The port map rows cabling a node's NIC (by name, or by the bond it is in). */
function findNicPorts(portMap: PortMapFact[], node: string, nic: string): PortMapFact[] {
  return portMap.filter((e) => e.farHost && lower(e.farHost) === lower(node) && e.farNic && lower(e.farNic) === lower(nic));
}

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/**
 * The ports of our Juniper switches a node's NIC is heard on: an LLDP neighbour whose system name is
 * the node and whose port id is the NIC, or whose chassis id or port id is the NIC's MAC (as a typed
 * row records it; Proxmox gives no NIC MACs). A neighbour heard on an ae (some releases report it
 * there) stands for the bundle's member ports.
 */
function findJunosNicPorts(inputs: Pick<EdgeInputs, "junos" | "portMap" | "nodeNetworks">, node: string, nic: string): JunosNicPort[] {
  const macs = new Set(findNicPorts(inputs.portMap, node, nic).flatMap((r) => (r.farMac ? [normalizeMac(r.farMac)] : [])));
  // A host's lldpd sends one chassis id (a MAC) for all its NICs: the chassis only names this NIC
  // when the port id does not name another (another physical NIC of the node, or another MAC; a
  // bond's name may stand for its NICs).
  const otherNics = new Set(
    (inputs.nodeNetworks.data?.nodes.find((n) => lower(n.node) === lower(node))?.ifaces ?? [])
      .filter((i) => i.type === "eth")
      .map((i) => lower(i.iface))
      .filter((i) => i !== lower(nic)),
  );
  const isOtherPort = (portInfo: string) => otherNics.has(lower(portInfo)) || (MAC.test(portInfo) && !macs.has(normalizeMac(portInfo)));
  const out: JunosNicPort[] = [];
  for (const sw of inputs.junos ?? []) {
    for (const n of sw.neighbors) {
      const isByName = isSameHost(n.systemName, node) && lower(n.portInfo) === lower(nic);
      const isByMac = macs.has(normalizeMac(n.portInfo)) || (macs.has(normalizeMac(n.chassisId)) && !isOtherPort(n.portInfo));
      if (!isByName && !isByMac) continue;
      const bundle = sw.bundles.find((b) => b.bundle === n.localPort);
      const ports = bundle ? bundle.members.map((m) => m.port) : [n.localPort];
      for (const port of ports) {
        if (out.some((o) => o.switchName === sw.switchName && o.port === port)) continue;
        const inBundle = bundle?.bundle ?? n.parentBundle ?? sw.bundles.find((b) => b.members.some((m) => m.port === port))?.bundle ?? null;
        out.push({ switchName: sw.switchName, port, bundle: inBundle, freshness: sw.freshness });
      }
    }
  }
  return out;
}

/** Which node a switch port leads to, from the port map (by switch name or UniFi device MAC). */
function findNodeOnSwitchPort(inputs: EdgeInputs, switchMac: string, portIdx: number): string | null {
  const device = inputs.unifi.data?.devices.find((d) => d.mac === switchMac);
  if (!device) return null;
  const port = device.ports.find((p) => p.idx === portIdx);
  // A LAG member's traffic is reported on its primary; either port's map row names the node.
  const idxs = new Set([
    portIdx,
    ...device.ports.filter((p) => p.aggregatedBy === portIdx).map((p) => p.idx),
    ...(port?.aggregatedBy ? [port.aggregatedBy] : []),
  ]);
  const names = new Set([...idxs].flatMap((i) => [String(i), lower(device.ports.find((p) => p.idx === i)?.name ?? "")]));
  const row = inputs.portMap.find((e) => lower(e.switchName) === lower(device.name) && names.has(lower(e.port)) && e.farHost);
  return row?.farHost ?? null;
}

/** The inputs with the proposals computed once from them. */
type TraceInputs = EdgeInputs & { proposals: PortProposal[] };

/** The proposals a path may follow for a node: not contradicting a typed row, for one NIC (or any when `nic` is null: NIC unknown). */
function findProposals(inputs: TraceInputs, node: string, nic: string | null): PortProposal[] {
  // A neighbour that sent the bond's name stands for the bond's NICs.
  const ifaces = inputs.nodeNetworks.data?.nodes.find((n) => lower(n.node) === lower(node))?.ifaces ?? [];
  const names =
    nic === null ? [] : [nic, ...ifaces.filter((i) => i.type === "bond" && i.slaves.some((s) => lower(s) === lower(nic))).map((i) => i.iface)].map(lower);
  return inputs.proposals.filter(
    (p) => !p.contradicts && isSameHost(p.farHost, node) && (nic === null ? p.farNic === null : p.farNic !== null && names.includes(lower(p.farNic))),
  );
}

const describeProposal = (p: PortProposal) =>
  `${p.farHost} ${p.farNic ?? "(NIC unknown)"}${p.lag ? ` in ${p.lag}` : ""}, proposed from ${SOURCE_LABELS[p.source]}, unconfirmed`;

interface Target {
  host: string;
  port: number | string;
  freshness: Freshness;
}

function resolveTargetIp(inputs: EdgeInputs, host: string): string | null {
  if (isIp(host)) return host;
  const h = lower(host);
  const guest = inputs.inventory.guests.find((g) => lower(g.name) === h || lower(g.name) === h.split(".")[0]);
  if (guest) return guestAddresses(guest)[0] ?? null;
  const ipam = inputs.ipam.addresses.find((a) => a.hostname && (lower(a.hostname) === h || lower(a.hostname).split(".")[0] === h));
  return ipam?.address ?? null;
}

/**
 * What the paths can look up in IPAM: each target's IP (given, or a guest's found by name) and each
 * target's name (lower case). The console reads only the IPAM rows these name (and the served
 * names' zones), not every address: at a provider's size that is 100k rows per page load.
 */
export function listEdgeIpamLookups(inputs: Omit<EdgeInputs, "ipam" | "servedNames">): { ips: string[]; names: string[] } {
  const hosts = [
    ...(inputs.npm.data?.proxyHosts ?? []).flatMap((h) => [h.forwardHost, ...h.locations.map((l) => l.forwardHost)]),
    ...(inputs.unifi.data?.portForwards ?? []).map((f) => f.forwardIp),
    ...(inputs.npm.data?.streams ?? []).map((s) => s.forwardingHost),
  ];
  const ips = new Set<string>();
  const names = new Set<string>();
  for (const host of hosts) {
    if (isIp(host)) {
      ips.add(host);
      continue;
    }
    const h = lower(host);
    names.add(h);
    for (const g of inputs.inventory.guests) if (lower(g.name) === h || lower(g.name) === h.split(".")[0]) for (const a of guestAddresses(g)) ips.add(a);
  }
  return { ips: [...ips], names: [...names] };
}

/** The hops from a LAN endpoint down to the patch panel, with the findings on the way. */
function traceFromEndpoint(inputs: TraceInputs, target: Target, isForward: boolean): { hops: PathHop[]; findings: EdgeFinding[]; terms: string[] } {
  const hops: PathHop[] = [];
  const findings: EdgeFinding[] = [];
  const terms: string[] = [lower(target.host), String(target.port)];
  const ip = resolveTargetIp(inputs, target.host);
  hops.push({
    kind: "lan-endpoint",
    label: `${target.host}:${target.port}`,
    detail: ip && ip !== target.host ? `resolves to ${ip}` : undefined,
    freshness: target.freshness,
    ref: ip ? { ip } : undefined,
  });
  if (!ip) {
    findings.push({
      kind: "forward-host-not-in-ipam",
      subject: target.host,
      message: `${target.host} is neither an IP, a guest's name nor a hostname in IPAM`,
    });
    return { hops, findings, terms };
  }
  terms.push(ip);
  const ipamRow = inputs.ipam.addresses.find((a) => sameIp(a.address, ip));
  if (!ipamRow)
    findings.push({ kind: "forward-host-not-in-ipam", subject: ip, message: `${ip} (forwarded to from ${target.host}:${target.port}) has no IPAM record` });

  const holders = inputs.inventory.guests.filter((g) => guestAddresses(g).some((a) => sameIp(a, ip)));
  if (holders.length === 0) {
    // Did the machine this address was recorded for move to another address?
    const mac = ipamRow?.mac ? normalizeMac(ipamRow.mac) : null;
    const movedTo = mac ? findCurrentIp(inputs, mac) : null;
    if (movedTo && !sameIp(movedTo.ip, ip))
      findings.push({
        kind: "forward-ip-moved",
        subject: ip,
        message: `${isForward ? "forward" : "proxy host"} to ${ip}, but ${movedTo.name ?? mac} (${mac}) is now at ${movedTo.ip}`,
      });
    else findings.push({ kind: "ip-on-no-guest", subject: ip, message: `no guest in the live inventory holds ${ip}` });
    return { hops, findings, terms };
  }
  const guest = holders[0]!;
  const macs = guest.nics
    .map((n) => n.mac)
    .filter((m): m is string => Boolean(m))
    .map(normalizeMac);
  terms.push(String(guest.vmid), lower(guest.name), ...macs);
  hops.push({
    kind: "guest",
    label: `${guest.type === "lxc" ? "CT" : "VM"} ${guest.vmid} ${guest.name}`,
    detail:
      holders.length > 1
        ? `also held by ${holders
            .slice(1)
            .map((g) => g.vmid)
            .join(", ")}`
        : macs.join(", ") || undefined,
    freshness: inputs.inventory.freshness,
    ref: { vmid: guest.vmid, node: guest.node, ip },
  });
  hops.push({ kind: "node", label: guest.node, freshness: inputs.inventory.freshness, ref: { node: guest.node } });
  terms.push(lower(guest.node));

  // Where the switch sees the guest's MAC, and whether that port leads to the node Proxmox says.
  for (const mac of macs) {
    const seen = inputs.unifi.data?.clients.find((c) => c.mac === mac && c.switchMac && c.switchPort !== null);
    if (!seen) continue;
    const seenNode = findNodeOnSwitchPort(inputs, seen.switchMac!, seen.switchPort!);
    if (seenNode && lower(seenNode) !== lower(guest.node))
      findings.push({
        kind: "guest-on-other-node",
        subject: String(guest.vmid),
        message: `Proxmox says ${guest.vmid} ${guest.name} runs on ${guest.node}, but the switch sees its MAC ${mac} on the port cabled to ${seenNode}`,
      });
  }

  const node = inputs.nodeNetworks.data?.nodes.find((n) => lower(n.node) === lower(guest.node));
  if (!node) {
    hops.push({ kind: "node-nic", label: "network not collected", freshness: inputs.nodeNetworks.freshness });
    return { hops, findings, terms };
  }
  const bridges = [...new Set(guest.nics.map((n) => n.bridge).filter((b): b is string => Boolean(b)))];
  const shownProposals = new Set<string>();
  const pushProposal = (p: PortProposal) => {
    if (shownProposals.has(p.key)) return;
    shownProposals.add(p.key);
    terms.push(lower(`${p.switchName}:${p.port}`), lower(p.port), ...(p.lag ? [lower(p.lag), lower(`${p.switchName}:${p.lag}`)] : []));
    hops.push({
      kind: "switch-port",
      label: `${p.switchName} ${p.port}`,
      detail: describeProposal(p),
      freshness: p.freshness,
      isUnconfirmed: true,
      ref: { switchName: p.switchName, port: p.port },
    });
    // The panel position is a fact of the switch port, whoever the typed row says is at its far end.
    const row = inputs.portMap.find((e) => lower(e.switchName) === lower(p.switchName) && isSamePort(e.port, p.port));
    if (row?.panel)
      hops.push({ kind: "patch-panel", label: `${row.panel}${row.panelPosition ? ` / ${row.panelPosition}` : ""}`, freshness: portMapFreshness(row) });
  };
  for (const bridge of bridges.length > 0 ? bridges : ["vmbr0"]) {
    const br = node.ifaces.find((i) => i.iface === bridge);
    const via = br?.bridgePorts.join(", ");
    const nics = findPhysicalNics(node.ifaces, bridge);
    hops.push({
      kind: "node-nic",
      label: `${bridge}${via ? ` → ${via}` : ""}`,
      detail: nics.length ? `NICs ${nics.join(", ")}` : undefined,
      freshness: inputs.nodeNetworks.freshness,
    });
    for (const nic of nics) {
      const rows = findNicPorts(inputs.portMap, node.node, nic);
      const heard = findJunosNicPorts(inputs, node.node, nic);
      if (rows.length === 0) {
        // No confirmed row: the proposals for this NIC, else the node's proposals that name no NIC.
        const proposed = findProposals(inputs, node.node, nic);
        const candidates = proposed.length > 0 ? proposed : findProposals(inputs, node.node, null);
        if (candidates.length === 0)
          hops.push({ kind: "switch-port", label: `${node.node} ${nic}: no mapped switch port`, freshness: inputs.nodeNetworks.freshness });
        candidates.forEach(pushProposal);
        continue;
      }
      const pushPanel = (row: PortMapFact | undefined) => {
        if (!row?.panel) return;
        terms.push(lower(`${row.panel} ${row.panelPosition ?? ""}`.trim()), lower(row.panel));
        hops.push({ kind: "patch-panel", label: `${row.panel}${row.panelPosition ? ` / ${row.panelPosition}` : ""}`, freshness: portMapFreshness(row) });
      };
      for (const row of rows) {
        terms.push(lower(`${row.switchName}:${row.port}`), lower(row.port));
        // Typed and heard on the same port: one hop, carrying the collected evidence's freshness.
        const alsoHeard = heard.find((h) => lower(h.switchName) === lower(row.switchName) && isSamePort(h.port, row.port));
        hops.push({
          kind: "switch-port",
          label: `${row.switchName} ${row.port}`,
          detail: alsoHeard ? `${node.node} ${nic}${alsoHeard.bundle ? ` in ${alsoHeard.bundle}` : ""}, typed and heard over LLDP` : `${node.node} ${nic}`,
          freshness: alsoHeard ? alsoHeard.freshness : portMapFreshness(row),
          ref: { switchName: row.switchName, port: row.port },
        });
        pushPanel(row);
      }
    }
  }
  return { hops, findings, terms };
}

function findCurrentIp(inputs: EdgeInputs, mac: string): { ip: string; name: string | null } | null {
  const guest = inputs.inventory.guests.find((g) => g.nics.some((n) => n.mac && normalizeMac(n.mac) === mac));
  const guestIp = guest ? guestAddresses(guest)[0] : undefined;
  if (guest && guestIp) return { ip: guestIp, name: `${guest.vmid} ${guest.name}` };
  const client: EdgeClient | undefined = inputs.unifi.data?.clients.find((c) => c.mac === mac && c.ip);
  return client ? { ip: client.ip!, name: client.hostname } : null;
}

function certificateFinding(now: Date, domain: string, cert: { niceName: string; expiresOn: string | null } | null): EdgeFinding | null {
  if (!cert?.expiresOn) return null;
  const days = Math.floor((Date.parse(cert.expiresOn) - now.getTime()) / DAY_MS);
  if (days >= CERTIFICATE_WARN_DAYS) return null;
  return {
    kind: "certificate-expiring",
    subject: domain,
    message:
      days < 0
        ? `certificate "${cert.niceName}" for ${domain} expired ${-days} day(s) ago`
        : `certificate "${cert.niceName}" for ${domain} expires in ${days} day(s)`,
  };
}

/** A served name is covered by an NPM domain when equal, or under a `*.` wildcard one level deep. */
function isCoveredBy(name: string, domain: string): boolean {
  if (domain === name) return true;
  if (!domain.startsWith("*.")) return false;
  const rest = name.slice(name.indexOf(".") + 1);
  return rest === domain.slice(2) && !name.slice(0, name.indexOf(".")).includes(".");
}

/** Every path and every finding of the edge, from the collected and typed facts. */
export function computeEdgeMap(edgeInputs: EdgeInputs): EdgeMap {
  const proposals = computePortProposals(edgeInputs);
  const inputs: TraceInputs = { ...edgeInputs, proposals };
  const paths: EdgePath[] = [];
  const npmFresh = inputs.npm.freshness;
  for (const host of inputs.npm.data?.proxyHosts ?? []) {
    const domain = host.domainNames[0] ?? `proxy host ${host.id}`;
    const targets = [
      { suffix: "", path: null as string | null, scheme: host.forwardScheme, host: host.forwardHost, port: host.forwardPort },
      ...host.locations.map((l) => ({ suffix: `:${l.path}`, path: l.path, scheme: l.forwardScheme, host: l.forwardHost, port: l.forwardPort })),
    ];
    const cert = certificateFinding(inputs.now, domain, host.certificate);
    for (const t of targets) {
      const traced = traceFromEndpoint(inputs, { host: t.host, port: t.port, freshness: npmFresh }, false);
      const hops: PathHop[] = [
        { kind: "hostname", label: `${host.domainNames.join(", ")}${t.path ?? ""}`, freshness: npmFresh, ref: { domain } },
        {
          kind: "proxy-host",
          label: `NPM #${host.id} → ${t.scheme}://${t.host}:${t.port}`,
          detail: [
            host.isEnabled ? null : "disabled",
            host.certificate ? `certificate until ${host.certificate.expiresOn?.slice(0, 10) ?? "?"}` : "no certificate",
          ]
            .filter(Boolean)
            .join(", "),
          freshness: npmFresh,
        },
        ...traced.hops,
      ];
      paths.push({
        id: `npm:${host.id}${t.suffix}`,
        title: `${domain}${t.path ?? ""}`,
        hops,
        findings: [...(cert && !t.path ? [cert] : []), ...traced.findings],
        searchTerms: [...host.domainNames.map(lower), ...traced.terms],
      });
    }
  }
  const unifiFresh = inputs.unifi.freshness;
  for (const f of inputs.unifi.data?.portForwards ?? []) {
    const traced = traceFromEndpoint(inputs, { host: f.forwardIp, port: f.forwardPort, freshness: unifiFresh }, true);
    paths.push({
      id: `forward:${f.id}`,
      title: `WAN ${f.proto}/${f.externalPort} (${f.name || f.id})`,
      hops: [
        {
          kind: "port-forward",
          label: `UDM ${f.proto}/${f.externalPort} → ${f.forwardIp}:${f.forwardPort}`,
          detail: f.isEnabled ? f.name : `${f.name} (disabled)`,
          freshness: unifiFresh,
        },
        ...traced.hops,
      ],
      findings: traced.findings,
      searchTerms: [lower(f.name), f.externalPort, ...traced.terms],
    });
  }
  for (const s of inputs.npm.data?.streams ?? []) {
    const traced = traceFromEndpoint(inputs, { host: s.forwardingHost, port: s.forwardingPort ?? "?", freshness: npmFresh }, false);
    paths.push({
      id: `stream:${s.id}`,
      title: `NPM stream :${s.incomingPort ?? "?"}`,
      hops: [
        { kind: "stream", label: `NPM stream :${s.incomingPort ?? "?"} → ${s.forwardingHost}:${s.forwardingPort ?? "?"}`, freshness: npmFresh },
        ...traced.hops,
      ],
      findings: traced.findings,
      searchTerms: [String(s.incomingPort ?? ""), ...traced.terms],
    });
  }

  const findings: EdgeFinding[] = paths.flatMap((p) => p.findings);
  // Served names with no proxy host; only judged when NPM was ever collected.
  if (inputs.npm.data) {
    const domains = inputs.npm.data.proxyHosts.flatMap((h) => h.domainNames.map(lower));
    for (const name of inputs.servedNames.map(lower)) {
      if (!domains.some((d) => isCoveredBy(name, d)))
        findings.push({ kind: "no-proxy-host", subject: name, message: `${name} is a name we serve, but no NPM proxy host answers for it` });
    }
  }
  // A node whose NICs in use (under a bridge or bond) no port map row cables and nothing proposes: one
  // finding for the node; a NIC of an otherwise known node that nothing names: one for the NIC.
  for (const node of inputs.nodeNetworks.data?.nodes ?? []) {
    const inUse = [...new Set(node.ifaces.filter((i) => i.type === "bridge").flatMap((b) => findPhysicalNics(node.ifaces, b.iface)))];
    if (inUse.length === 0) continue;
    const hasRow = inputs.portMap.some((e) => e.farHost && isSameHost(e.farHost, node.node));
    const nodeProposals = proposals.filter((p) => isSameHost(p.farHost, node.node));
    if (!hasRow && nodeProposals.length === 0) {
      findings.push({
        kind: "node-nic-unmapped",
        subject: node.node,
        message: `${node.node} ${inUse.join(", ")} carry traffic, but no port map row names them and nothing proposes one (no LLDP from ${node.node} is heard by UniFi or our switches, and the client table places none of its guests)`,
      });
      continue;
    }
    if (nodeProposals.some((p) => p.farNic === null)) continue;
    for (const nic of inUse) {
      if (findNicPorts(inputs.portMap, node.node, nic).length === 0 && findProposals(inputs, node.node, nic).length === 0)
        findings.push({
          kind: "node-nic-unmapped",
          subject: `${node.node}/${nic}`,
          message: `${node.node} ${nic} carries traffic but no switch port is typed or proposed for it`,
        });
    }
  }
  const disagreements = findPortMapDisagreements(inputs);
  findings.push(...disagreements);
  // A proposal that contradicts a typed row the comparison above did not already flag (a UniFi
  // neighbour's host is only known from its chassis): the row is kept and the disagreement shown.
  for (const p of proposals) {
    const row = p.contradicts && inputs.portMap.find((e) => e.id === p.contradicts!.entryId);
    if (!row) continue;
    const subject = `${row.switchName}:${row.port}`;
    if (!disagreements.some((f) => f.subject === subject)) findings.push({ kind: "port-map-disagrees", subject, message: p.contradicts!.message });
  }
  for (const { switchName, neighbor: n, identity } of identifyLldpNeighbors(inputs)) {
    if (identity.kind !== "unknown") continue;
    findings.push({
      kind: "lldp-neighbor-unknown",
      subject: `${switchName}:${n.localPort}`,
      message: `${switchName} ${n.localPort} hears chassis ${n.chassisId} port ${n.portInfo}${n.systemName ? ` (${n.systemName})` : ""}: no node, switch, port map row or Tenantos server names it`,
    });
  }
  const seen = new Set<string>();
  return {
    paths,
    proposals,
    findings: findings.filter((f) => {
      const key = `${f.kind}|${f.subject}|${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/** What LLDP hears on a port, as the typed row is compared with it. */
interface HeardNeighbor {
  chassisId: string;
  portId: string;
  systemName: string | null;
}

function compareWithLldp(row: PortMapFact, lldp: HeardNeighbor, subject: string): EdgeFinding | null {
  if (row.farNic && lower(lldp.portId) !== lower(row.farNic) && !(row.farMac && normalizeMac(lldp.portId) === normalizeMac(row.farMac)))
    return { kind: "port-map-disagrees", subject, message: `${subject}: typed far-end NIC ${row.farNic}, but LLDP hears port ${lldp.portId}` };
  if (row.farMac && normalizeMac(lldp.chassisId) !== normalizeMac(row.farMac) && normalizeMac(lldp.portId) !== normalizeMac(row.farMac))
    return { kind: "port-map-disagrees", subject, message: `${subject}: typed far-end MAC ${row.farMac}, but LLDP hears chassis ${lldp.chassisId}` };
  if (row.farHost && lldp.systemName && !isSameHost(lldp.systemName, row.farHost))
    return { kind: "port-map-disagrees", subject, message: `${subject}: typed far-end host ${row.farHost}, but LLDP hears ${lldp.systemName}` };
  return null;
}

/**
 * A typed port map row that a collected fact contradicts: the port's LLDP neighbour (UniFi's, or our
 * Juniper switch's) names a different NIC, chassis MAC or host than the row; or our switch hears the
 * row's node NIC on another port. The row is kept; the disagreement is shown.
 */
export function findPortMapDisagreements(inputs: Pick<EdgeInputs, "unifi" | "portMap" | "junos"> & Partial<Pick<EdgeInputs, "nodeNetworks">>): EdgeFinding[] {
  const withNetworks = {
    ...inputs,
    nodeNetworks: inputs.nodeNetworks ?? { data: null, freshness: { source: "proxmox-network" as const, collectedAt: null, isStale: true, error: null } },
  };
  const out: EdgeFinding[] = [];
  for (const row of inputs.portMap) {
    const subject = `${row.switchName}:${row.port}`;
    const device = inputs.unifi.data?.devices.find((d) => lower(d.name) === lower(row.switchName));
    const port = device?.ports.find((p) => String(p.idx) === row.port.trim() || lower(p.name) === lower(row.port));
    const unifiLldp = port?.lldp[0];
    // UniFi sends no system name with its port table's LLDP: only NIC and chassis are compared.
    const unifiFinding = unifiLldp ? compareWithLldp(row, { ...unifiLldp, systemName: null }, subject) : null;
    if (unifiFinding) {
      out.push(unifiFinding);
      continue;
    }
    const sw = inputs.junos?.find((j) => lower(j.switchName) === lower(row.switchName));
    const junosLldp = sw?.neighbors.find((n) => isSamePort(n.localPort, row.port));
    const junosFinding = junosLldp
      ? compareWithLldp(row, { chassisId: junosLldp.chassisId, portId: junosLldp.portInfo, systemName: junosLldp.systemName }, subject)
      : null;
    if (junosFinding) {
      out.push(junosFinding);
      continue;
    }
    // The row's node NIC is heard by our switches, but not on this port.
    if (!row.farHost || !row.farNic) continue;
    const heard = findJunosNicPorts(withNetworks, row.farHost, row.farNic);
    if (heard.length > 0 && !heard.some((h) => lower(h.switchName) === lower(row.switchName) && isSamePort(h.port, row.port)))
      out.push({
        kind: "port-map-disagrees",
        subject,
        message: `${subject}: typed as ${row.farHost} ${row.farNic}, but LLDP hears ${row.farHost} ${row.farNic} on ${heard.map((h) => `${h.switchName} ${h.port}`).join(", ")}`,
      });
  }
  return out;
}

/** What an LLDP neighbour of one of our switches is, as far as we know it. */
export type NeighborIdentity =
  | { kind: "node"; name: string }
  | { kind: "switch"; name: string }
  | { kind: "port-map"; name: string }
  | { kind: "panel-server"; name: string }
  | { kind: "unknown"; name: null };

/**
 * Names each neighbour our Juniper switches hear: a Proxmox node (by system name), another switch
 * (one of ours, or a UniFi device), what the port map types on that port, or the Tenantos server
 * the panel puts on that port. A neighbour that is
 * none of these is unknown: a finding, because nothing here can say what is plugged in there (a
 * new box, a cable moved); typing the port in the port map is how a person answers it.
 */
export function identifyLldpNeighbors(
  inputs: Pick<EdgeInputs, "junos" | "portMap" | "unifi" | "nodeNetworks" | "inventory" | "panelPorts">,
): Array<{ switchName: string; neighbor: LldpNeighbor; identity: NeighborIdentity }> {
  const nodes = [...new Set([...(inputs.nodeNetworks.data?.nodes.map((n) => n.node) ?? []), ...inputs.inventory.guests.map((g) => g.node)])];
  const switchNames = [...(inputs.junos ?? []).map((j) => j.switchName), ...(inputs.unifi.data?.devices.map((d) => d.name) ?? [])];
  const out = [];
  for (const sw of inputs.junos ?? []) {
    for (const n of sw.neighbors) {
      const node = nodes.find((x) => isSameHost(n.systemName, x));
      const other = switchNames.find((x) => lower(x) !== lower(sw.switchName) && isSameHost(n.systemName, x));
      const row = inputs.portMap.find((r) => lower(r.switchName) === lower(sw.switchName) && isSamePort(r.port, n.localPort));
      const panel = inputs.panelPorts?.find((p) => lower(p.switchName) === lower(sw.switchName) && isSamePort(p.port, n.localPort));
      const identity: NeighborIdentity = node
        ? { kind: "node", name: node }
        : other
          ? { kind: "switch", name: other }
          : row
            ? { kind: "port-map", name: [row.farHost, row.farNic].filter(Boolean).join(" ") || `row ${row.id}` }
            : panel
              ? { kind: "panel-server", name: `Tenantos server ${panel.serverId}` }
              : { kind: "unknown", name: null };
      out.push({ switchName: sw.switchName, neighbor: n, identity });
    }
  }
  return out;
}

/** The paths a search names: by hostname, IP, VMID, MAC, switch port or patch position (substring, case-insensitive). */
export function searchEdgePaths(paths: EdgePath[], query: string): EdgePath[] {
  const q = lower(query);
  if (!q) return paths;
  const mac = normalizeMac(q);
  return paths.filter((p) => p.searchTerms.some((t) => t.includes(q) || (mac !== q && t.includes(mac))) || lower(p.title).includes(q));
}
