// The physical port map as one bounded table: the rows are computed in Node from several sources
// (typed rows, UniFi's collection, our switches' LLDP/LACP), not read from one SQL table, so they
// are filtered, sorted and sliced here after computing; the page then carries one page of them.

import { z } from "zod";
import { defineTableSpec, type TableState } from "@/lib/table/url-state";
import type { PortMapFact } from "./path";
import { searchPortMapView, type PortMapViewRow } from "./port-map-view";

/** agree: collected and matching; disagree: collected and differing; unknown: nothing collected. */
export const PORT_MAP_ROW_STATUSES = ["agree", "disagree", "unknown"] as const;
export type PortMapRowStatus = (typeof PORT_MAP_ROW_STATUSES)[number];

export const portMapTableSpec = defineTableSpec({
  sortable: ["switch", "port", "status"],
  defaultSort: "switch",
  defaultDir: "asc",
  // `q` stays the page's own search (it also narrows the edge paths and proposals), so old links keep working.
  filters: { switch: z.string().max(200), status: z.enum(PORT_MAP_ROW_STATUSES) },
  defaultPageSize: 50,
});
export type PortMapTableState = TableState<(typeof portMapTableSpec.sortable)[number], typeof portMapTableSpec.filters>;

export function statusOfPortMapRow(row: PortMapViewRow): PortMapRowStatus {
  if (!row.collected) return "unknown";
  return row.disagreements.length > 0 ? "disagree" : "agree";
}

// Natural order, so ge-0/0/9 comes before ge-0/0/10 and port 9 before port 10.
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const STATUS_ORDER: Record<PortMapRowStatus, number> = { disagree: 0, unknown: 1, agree: 2 };

/** One page of the computed rows for a view, and how many match it. */
export function pagePortMapView(
  rows: readonly PortMapViewRow[],
  entries: readonly PortMapFact[],
  state: Pick<PortMapTableState, "sort" | "dir" | "page" | "pageSize" | "q" | "filters">,
): { rows: PortMapViewRow[]; total: number } {
  const sw = state.filters.switch?.trim().toLowerCase();
  const status = state.filters.status;
  const matching = searchPortMapView([...rows], [...entries], state.q).filter(
    (r) => (!sw || r.switchName.toLowerCase() === sw) && (!status || statusOfPortMapRow(r) === status),
  );
  const bySwitchPort = (a: PortMapViewRow, b: PortMapViewRow) => collator.compare(a.switchName, b.switchName) || collator.compare(a.port, b.port);
  const primary: (a: PortMapViewRow, b: PortMapViewRow) => number =
    state.sort === "port"
      ? (a, b) => collator.compare(a.port, b.port)
      : state.sort === "status"
        ? (a, b) => STATUS_ORDER[statusOfPortMapRow(a)] - STATUS_ORDER[statusOfPortMapRow(b)]
        : () => 0;
  const sign = state.dir === "desc" ? -1 : 1;
  // The key is unique, so equal rows still have one order and a row never shows on two pages.
  const sorted = matching.sort((a, b) => sign * (primary(a, b) || bySwitchPort(a, b)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const start = (state.page - 1) * state.pageSize;
  return { rows: sorted.slice(start, start + state.pageSize), total: sorted.length };
}

/** The switches the filter offers: every switch a row names, once, in natural order. */
export function listPortMapSwitches(rows: readonly PortMapViewRow[]): string[] {
  return [...new Set(rows.map((r) => r.switchName))].sort(collator.compare);
}

/** The first `limit` items and how many there were: a list that never grows with its source. */
export function capList<T>(items: readonly T[], limit: number): { shown: T[]; total: number } {
  return { shown: items.slice(0, limit), total: items.length };
}

/** The switch ports and their bindings (port security's map), the page's second table: params `ports.*`. */
export const switchPortTableSpec = defineTableSpec({
  sortable: ["switch", "port"],
  defaultSort: "switch",
  defaultDir: "asc",
  filters: { switch: z.string().max(200) },
  defaultPageSize: 50,
  paramPrefix: "ports",
});
export type SwitchPortTableState = TableState<(typeof switchPortTableSpec.sortable)[number], typeof switchPortTableSpec.filters>;

/** What the search reads of a switch port row (port security's PortMapRow has these and more). */
export interface SwitchPortRowText {
  switchId: number;
  switchName: string;
  interface: string;
  description: string | null;
  owner: { kind: string; serverId?: number; proxmoxNode?: string | null };
  onSwitch: Array<{ ip: string; mac: string }> | null;
}

/** One page of the switch ports: searched (switch, port, owner server, description, bound IP/MAC), filtered by switch, sorted. */
export function pageSwitchPorts<T extends SwitchPortRowText>(
  rows: readonly T[],
  query: string,
  state: Pick<SwitchPortTableState, "sort" | "dir" | "page" | "pageSize" | "filters">,
): { rows: T[]; total: number } {
  const needle = query.trim().toLowerCase();
  const sw = state.filters.switch?.trim().toLowerCase();
  const matching = rows.filter((r) => {
    if (sw && r.switchName.toLowerCase() !== sw) return false;
    if (!needle) return true;
    const server = r.owner.serverId !== undefined ? `server ${r.owner.serverId} ${r.owner.proxmoxNode ?? ""}` : "";
    return [r.switchName, r.interface, r.description ?? "", server, ...(r.onSwitch ?? []).flatMap((b) => [b.ip, b.mac])]
      .join(" ")
      .toLowerCase()
      .includes(needle);
  });
  const sign = state.dir === "desc" ? -1 : 1;
  const sorted = matching.sort((a, b) => {
    const bySwitch = collator.compare(a.switchName, b.switchName) || a.switchId - b.switchId;
    const byPort = collator.compare(a.interface, b.interface) || (a.interface < b.interface ? -1 : a.interface > b.interface ? 1 : 0);
    return sign * (state.sort === "port" ? byPort || bySwitch : bySwitch || byPort);
  });
  const start = (state.page - 1) * state.pageSize;
  return { rows: sorted.slice(start, start + state.pageSize), total: sorted.length };
}
