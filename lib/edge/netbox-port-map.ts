import { formatCsv } from "../csv/format-csv";
import { AppError } from "../errors";
import { parsePortMapEntry, parseRows, parseVlanList, readCsvRows, type PortMapEntryValues } from "./port-map";

// The port map as NetBox's bulk import takes it: interfaces (dcim.interface) and cables (dcim.cable).
// Columns are NetBox's import form fields (netbox/dcim/forms/bulk_import.py: InterfaceImportForm —
// device, name, type, enabled, lag, speed in Kbps, mode, untagged_vlan, tagged_vlans, description;
// CableImportForm — side_{a,b}_device, side_{a,b}_type, side_{a,b}_name, type, status, label, description).
// A patch panel is a NetBox device whose front port (switch side) and rear port (host side) carry
// the position as their name (a modelling choice of ours; NetBox allows others). Fields NetBox lacks
// travel as custom fields (`cf_…`), as in lib/ipam/netbox-csv.ts: the far-end MAC (NetBox 4.2+ keeps
// MACs as their own objects) and which kind of switch a row is.

export const NETBOX_INTERFACE_COLUMNS = [
  "device",
  "name",
  "type",
  "enabled",
  "lag",
  "speed",
  "mode",
  "untagged_vlan",
  "tagged_vlans",
  "description",
  "cf_mac",
  "cf_switch_kind",
];
export const NETBOX_CABLE_COLUMNS = [
  "side_a_device",
  "side_a_type",
  "side_a_name",
  "side_b_device",
  "side_b_type",
  "side_b_name",
  "type",
  "status",
  "label",
  "description",
];

const IFACE = "dcim.interface";
const FRONT = "dcim.frontport";
const REAR = "dcim.rearport";

export function formatNetboxInterfacesCsv(entries: PortMapEntryValues[]): string {
  const rows: Array<Array<string | number>> = [];
  const seen = new Set<string>();
  const push = (key: string, row: Array<string | number>) => {
    if (seen.has(key)) return;
    seen.add(key);
    rows.push(row);
  };
  // A LAG must exist before its members name it in `lag`: LAG rows first.
  for (const e of entries) if (e.bond) push(`${e.switchName}|${e.bond}`, [e.switchName, e.bond, "lag", "true", "", "", "", "", "", "", "", e.switchKind]);
  for (const e of entries) {
    push(`${e.switchName}|${e.port}`, [
      e.switchName,
      e.port,
      "other",
      "true",
      e.bond ?? "",
      e.speedMbps ? e.speedMbps * 1000 : "",
      e.vlanMode === "trunk" ? "tagged" : (e.vlanMode ?? ""),
      e.nativeVlan ?? "",
      e.taggedVlans.join(","),
      e.notes ?? "",
      "",
      e.switchKind,
    ]);
  }
  for (const e of entries)
    if (e.farHost && e.farNic) push(`${e.farHost}|${e.farNic}`, [e.farHost, e.farNic, "other", "true", "", "", "", "", "", "", e.farMac ?? "", ""]);
  return formatCsv(NETBOX_INTERFACE_COLUMNS, rows);
}

export function formatNetboxCablesCsv(entries: PortMapEntryValues[]): string {
  const rows: Array<Array<string | number>> = [];
  for (const e of entries) {
    const far = e.farHost && e.farNic ? { device: e.farHost, name: e.farNic } : null;
    if (e.panel && e.panelPosition) {
      rows.push([e.switchName, IFACE, e.port, e.panel, FRONT, e.panelPosition, "", "connected", "", ""]);
      if (far) rows.push([e.panel, REAR, e.panelPosition, far.device, IFACE, far.name, "", "connected", "", ""]);
    } else if (far) {
      rows.push([e.switchName, IFACE, e.port, far.device, IFACE, far.name, "", "connected", "", ""]);
    }
  }
  return formatCsv(NETBOX_CABLE_COLUMNS, rows);
}

interface End {
  device: string;
  type: string;
  name: string;
}
const key = (device: string, name: string) => `${device}\u0000${name}`;

/**
 * Reads NetBox's interface and cable CSVs back into port map rows. A switch port is an interface
 * with `cf_switch_kind`, or the A side of a cable that ends on a front port or another interface;
 * its far end is followed through the patch panel (front port → rear port of the same position).
 */
export function parseNetboxPortMap(interfacesCsv: string, cablesCsv: string): PortMapEntryValues[] {
  const ifaceRows = readCsvRows(interfacesCsv, ["device", "name"], "NetBox interfaces CSV");
  const cableRows = cablesCsv.trim()
    ? readCsvRows(cablesCsv, ["side_a_device", "side_a_type", "side_a_name", "side_b_device", "side_b_type", "side_b_name"], "NetBox cables CSV")
    : [];
  const cables = parseRows(cableRows, "NetBox cables CSV", (r) => {
    const end = (side: "a" | "b"): End => {
      const type = r[`side_${side}_type`] ?? "";
      if (![IFACE, FRONT, REAR].includes(type)) throw new Error(`side_${side}_type "${type}" is not ${IFACE}, ${FRONT} or ${REAR}`);
      const device = r[`side_${side}_device`] ?? "";
      const name = r[`side_${side}_name`] ?? "";
      if (!device || !name) throw new Error(`side_${side}_device and side_${side}_name are required`);
      // One termination per side: our rows are single cables, not NetBox's comma-separated bundles.
      if (name.includes(",")) throw new Error(`side_${side}_name "${name}": one termination per cable`);
      return { device, type, name };
    };
    return [end("a"), end("b")] as const;
  });
  const ifaces = new Map(ifaceRows.map((r) => [key(r.device ?? "", r.name ?? ""), r]));
  const otherEnd = (at: End): End | null => {
    for (const [a, b] of cables) {
      if (a.type === at.type && a.device === at.device && a.name === at.name) return b;
      if (b.type === at.type && b.device === at.device && b.name === at.name) return a;
    }
    return null;
  };
  const isSwitchPort = (r: Record<string, string>) =>
    r.type !== "lag" &&
    (Boolean(r.cf_switch_kind) ||
      cables.some(([a, b]) => a.type === IFACE && a.device === r.device && a.name === r.name && (b.type === FRONT || b.type === IFACE)));

  return parseRows(ifaceRows.filter(isSwitchPort), "NetBox interfaces CSV", (r) => {
    const here: End = { device: r.device!, type: IFACE, name: r.name! };
    let panel: string | null = null;
    let position: string | null = null;
    let far: End | null = null;
    const next = otherEnd(here);
    if (next?.type === FRONT) {
      panel = next.device;
      position = next.name;
      const behind = otherEnd({ device: next.device, type: REAR, name: next.name });
      if (behind?.type === IFACE) far = behind;
    } else if (next?.type === IFACE) {
      far = next;
    }
    const farRow = far ? ifaces.get(key(far.device, far.name)) : undefined;
    const mode = (r.mode ?? "").toLowerCase();
    if (mode && !["access", "tagged", "tagged-all"].includes(mode))
      throw new AppError("BAD_REQUEST", `mode "${r.mode}" is not access, tagged or tagged-all`, { field: "csv" });
    const speedKbps = r.speed ? Number(r.speed) : null;
    return parsePortMapEntry({
      switchName: r.device,
      switchKind: r.cf_switch_kind || undefined,
      port: r.name,
      panel,
      panelPosition: position,
      farHost: far?.device ?? null,
      farNic: far?.name ?? null,
      farMac: farRow?.cf_mac || null,
      bond: r.lag || null,
      vlanMode: mode === "access" ? "access" : mode ? "trunk" : null,
      nativeVlan: r.untagged_vlan ? Number(r.untagged_vlan) : null,
      taggedVlans: parseVlanList(r.tagged_vlans ?? ""),
      speedMbps: speedKbps === null ? null : Math.round(speedKbps / 1000),
      notes: r.description || null,
    });
  });
}
