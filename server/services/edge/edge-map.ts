import { eq, sql } from "drizzle-orm";
import { panelPorts as panelPortsTable, switches } from "@/drizzle/schema";
import type { Freshness } from "@/lib/edge/freshness";
import { capList, listPortMapSwitches, pagePortMapView, type PortMapTableState } from "@/lib/edge/port-map-table";
import { computePortMapView, searchPortMapView } from "@/lib/edge/port-map-view";
import { computePortProposals, searchPortProposals, type PortProposal } from "@/lib/edge/port-proposals";
import { findServedNames, listServedZones } from "@/lib/edge/served-names";
import { isIpAddress } from "@/lib/net/ip";
import {
  computeEdgeMap,
  listEdgeIpamLookups,
  identifyLldpNeighbors,
  searchEdgePaths,
  type EdgeFinding,
  type EdgeInputs,
  type EdgeMap,
  type EdgePath,
  type JunosLinkFact,
} from "@/lib/edge/path";
import type { DbOrTx } from "@/server/db/client";
import { textArray } from "@/server/db/text-array";
import { getInventoryStatus } from "../inventory/queries";
import { listSwitchLinkFacts } from "../switches/queries";
import { getSwitch } from "../switches/switches";
import { listPortMapEntries } from "./port-map";
import { getEdgeState, type EdgeState } from "./queries";

export interface EdgeMapView extends EdgeMap {
  /** `junos-lldp` only once a backup has read a switch's links: the oldest switch's freshness speaks for all. */
  sources: { [K in keyof EdgeState]: EdgeState[K]["freshness"] } & { inventory: Freshness; "junos-lldp"?: Freshness };
}

/** One line for all our switches' LLDP: stale (with the first error) when any switch's is. */
function combineJunosFreshness(facts: JunosLinkFact[]): Freshness | undefined {
  if (facts.length === 0) return undefined;
  const stale = facts.find((f) => f.freshness.isStale);
  const dates = facts.map((f) => f.freshness.collectedAt?.getTime() ?? 0);
  const oldest = Math.min(...dates);
  return {
    source: "junos-lldp",
    collectedAt: oldest > 0 ? new Date(oldest) : null,
    isStale: Boolean(stale),
    error: stale?.freshness.error ? `${stale.switchName}: ${stale.freshness.error}` : null,
  };
}

/**
 * What the edge's links are joined from, without IPAM: the last good collections, the inventory,
 * the port map and our switches' links. Proposals and a switch's LLDP neighbours need no more, and
 * IPAM is every address (100k at a provider's size, bench:pages), so only the paths read it.
 */
export async function loadEdgeLinkInputs(db: DbOrTx, now: Date) {
  const [state, inventory, portMap, junos, panelPorts] = await Promise.all([
    getEdgeState(db, now),
    getInventoryStatus(db, now),
    listPortMapEntries(db),
    listSwitchLinkFacts(db, now),
    db
      .select({ switchName: switches.name, port: panelPortsTable.interface, serverId: panelPortsTable.serverId })
      .from(panelPortsTable)
      .innerJoin(switches, eq(switches.id, panelPortsTable.switchId)),
  ]);
  // The inventory judges its own staleness (weekly by default), so its verdict is taken as it is.
  const inventoryFreshness: Freshness = {
    source: "inventory",
    collectedAt: inventory.snapshot?.collectedAt ?? null,
    isStale: inventory.is_stale,
    error: inventory.error,
  };
  const inputs: Omit<EdgeInputs, "ipam" | "servedNames"> = {
    now,
    npm: state.npm,
    unifi: state.unifi,
    nodeNetworks: state["proxmox-network"],
    inventory: { guests: inventory.snapshot?.data?.guests ?? [], freshness: inventoryFreshness },
    portMap,
    junos,
    panelPorts,
  };
  return { inputs, state, inventoryFreshness };
}

/**
 * What the edge is joined from: the link inputs and the IPAM rows the paths and the served names can
 * use (listEdgeIpamLookups; the hostnames in NPM's zones), not every address (bench:pages: reading
 * all 100k was most of the port map's load).
 */
export async function loadEdgeInputs(db: DbOrTx, now: Date) {
  const links = await loadEdgeLinkInputs(db, now);
  const npmDomains = links.state.npm.data?.proxyHosts.flatMap((h) => h.domainNames) ?? [];
  const { ips, names } = listEdgeIpamLookups(links.inputs);
  const zonePatterns = listServedZones(npmDomains).map((z) => `%.${z.replace(/[\\%_]/g, (c) => `\\${c}`)}`);
  const ipam =
    ips.length + names.length + zonePatterns.length === 0
      ? []
      : [
          ...(await db.execute<{ address: string; mac: string | null; hostname: string | null }>(sql`
            select host(address) as address, mac, hostname from ipam_addresses
            where status in ('active', 'planned') and (
              address = any(${`{${ips.filter(isIpAddress).join(",")}}`}::inet[])
              or lower(btrim(hostname)) = any(${textArray(names)})
              or split_part(lower(btrim(hostname)), '.', 1) = any(${textArray(names)})
              or lower(btrim(hostname)) like any(${textArray(zonePatterns)})
            )
            order by ipam_addresses.address`)),
        ];
  const inputs: EdgeInputs = {
    ...links.inputs,
    ipam: { addresses: ipam, freshness: { source: "ipam", collectedAt: now, isStale: false, error: null } },
    servedNames: findServedNames(ipam.map((a) => a.hostname ?? "").filter(Boolean), npmDomains),
  };
  return { ...links, inputs };
}

/** Every path and finding of the edge, joined from the last good collections, the inventory, IPAM and the port map. */
export async function getEdgeMap(db: DbOrTx, now: Date = new Date()): Promise<EdgeMapView> {
  const { inputs, state, inventoryFreshness } = await loadEdgeInputs(db, now);
  const junos = inputs.junos ?? [];
  const map = computeEdgeMap(inputs);
  const junosFreshness = combineJunosFreshness(junos);
  return {
    ...map,
    sources: {
      unifi: state.unifi.freshness,
      npm: state.npm.freshness,
      "proxmox-network": state["proxmox-network"].freshness,
      inventory: inventoryFreshness,
      ...(junosFreshness ? { "junos-lldp": junosFreshness } : {}),
    },
  };
}

/**
 * One switch's links as its newest backup read them: LLDP neighbours with what each is (a node,
 * another switch, a typed row, or unknown), ae bundles, the lines that could not be parsed, and
 * how fresh it all is. Null when no backup has read them yet.
 */
export async function getSwitchLinks(db: DbOrTx, switchId: number, now: Date = new Date()) {
  const [{ name: switchName }, { inputs }] = await Promise.all([getSwitch(db, switchId), loadEdgeLinkInputs(db, now)]);
  const fact = inputs.junos?.find((j) => j.switchName === switchName);
  if (!fact) return null;
  const neighbors = identifyLldpNeighbors(inputs)
    .filter((n) => n.switchName === switchName)
    .map(({ neighbor, identity }) => ({ ...neighbor, identity }));
  return { neighbors, bundles: fact.bundles, problems: fact.problems, freshness: fact.freshness };
}

/** The path view's search: by hostname, IP, VMID, MAC, switch port or patch position. */
export async function searchEdgeMap(
  db: DbOrTx,
  query: string,
  now: Date = new Date(),
): Promise<{ paths: EdgePath[]; findings: EdgeFinding[]; sources: EdgeMapView["sources"] }> {
  const map = await getEdgeMap(db, now);
  const paths = searchEdgePaths(map.paths, query);
  return { paths, findings: map.findings, sources: map.sources };
}

/**
 * The physical map: typed (and confirmed) rows beside the UniFi collector's and our switches' ports
 * (and the collected ports nobody typed), searched; and, apart, the rows the network proposes.
 */
export async function getPhysicalPortMap(db: DbOrTx, query: string, now: Date = new Date()) {
  const { inputs, state } = await loadEdgeLinkInputs(db, now);
  const entries = await listPortMapEntries(db);
  const view = computePortMapView(entries, state.unifi, inputs.junos ?? []);
  const proposals = searchPortProposals(computePortProposals(inputs), query);
  return { entries, rows: searchPortMapView(view, entries, query), proposals, unifi: state.unifi.freshness };
}

/** The first proposals to show, how many the search names, and how many "Confirm all" would confirm. */
export const MAX_PROPOSALS_SHOWN = 50;
function capProposals(proposals: PortProposal[]) {
  return { ...capList(proposals, MAX_PROPOSALS_SHOWN), confirmable: proposals.filter((p) => !p.contradicts).length };
}

/**
 * One page of the physical map for a table view (filters, sort, page), with only that page's typed
 * rows: the page's payload stays the same size however many ports the network has.
 */
export async function getPhysicalPortMapPage(db: DbOrTx, state: PortMapTableState, now: Date = new Date()) {
  const { inputs, state: sources } = await loadEdgeLinkInputs(db, now);
  const entries = await listPortMapEntries(db);
  const view = computePortMapView(entries, sources.unifi, inputs.junos ?? []);
  const page = pagePortMapView(view, entries, state);
  const onPage = new Set(page.rows.map((r) => r.entryId));
  return {
    rows: page.rows,
    total: page.total,
    entries: entries.filter((e) => onPage.has(e.id)),
    switches: listPortMapSwitches(view),
    proposals: capProposals(searchPortProposals(computePortProposals(inputs), state.q)),
    unifi: sources.unifi.freshness,
  };
}
