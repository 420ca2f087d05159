import { parse } from "csv-parse/sync";
import { z } from "zod";
import { unescapeSpreadsheetFormula } from "../csv/escape-formula";
import { formatCsv } from "../csv/format-csv";
import { AppError } from "../errors";
import { parseMacAddress } from "../junos/values";

// A physical port map row as people type it: switch port ↔ patch panel ↔ far-end host NIC, with its
// bond and VLANs. Validated here so the form, the API and the CSV import give the same errors.

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

const vid = z.number().int().min(1, "a VLAN id is 1–4094").max(4094, "a VLAN id is 1–4094");

export const portMapEntryInputSchema = z.object({
  switchName: z.string().trim().min(1, "Switch: give the switch's name").max(100),
  switchKind: z.enum(["juniper", "unifi", "other"]).default("other"),
  port: z.string().trim().min(1, "Port: give the switch port (ge-0/0/5, ae0, 5, Port 5)").max(100),
  panel: optionalText(100),
  panelPosition: optionalText(50),
  farHost: optionalText(200),
  farNic: optionalText(100),
  farMac: z
    .string()
    .trim()
    .nullish()
    .transform((v, ctx) => {
      if (!v) return null;
      try {
        return parseMacAddress(v);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `Far-end MAC: ${(e as Error).message}` });
        return z.NEVER;
      }
    }),
  bond: optionalText(100),
  vlanMode: z
    .enum(["access", "trunk"])
    .nullish()
    .transform((v) => v ?? null),
  nativeVlan: vid.nullish().transform((v) => v ?? null),
  // A set, kept sorted: the order people type VLANs in means nothing.
  taggedVlans: z
    .array(vid)
    .max(4094)
    .default([])
    .transform((v) => [...new Set(v)].sort((a, b) => a - b)),
  speedMbps: z
    .number()
    .int()
    .positive("Speed: a positive number of Mbit/s")
    .max(1_000_000)
    .nullish()
    .transform((v) => v ?? null),
  notes: optionalText(2000),
});
export type PortMapEntryInput = z.input<typeof portMapEntryInputSchema>;
export type PortMapEntryValues = z.output<typeof portMapEntryInputSchema>;

/** Parses one row, throwing an AppError that names the field (the form shows it beside that field). */
export function parsePortMapEntry(input: unknown): PortMapEntryValues {
  const r = portMapEntryInputSchema.safeParse(input);
  if (r.success) {
    if (r.data.panel && !r.data.panelPosition)
      throw new AppError("BAD_REQUEST", "Panel position: give the position on the patch panel", { field: "panelPosition" });
    if (r.data.vlanMode === "access" && r.data.taggedVlans.length > 0)
      throw new AppError("BAD_REQUEST", "Tagged VLANs: an access port carries no tagged VLANs", { field: "taggedVlans" });
    return r.data;
  }
  const issue = r.error.issues[0]!;
  const field = String(issue.path[0] ?? "");
  throw new AppError("BAD_REQUEST", issue.message, { field });
}

/** "10, 20 30" → [10, 20, 30]; the order and repeats people type are not kept. */
export function parseVlanList(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const out = parts.map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 4094)
      throw new AppError("BAD_REQUEST", `Tagged VLANs: "${p}" is not a VLAN id (1–4094)`, { field: "taggedVlans" });
    return n;
  });
  return [...new Set(out)].sort((a, b) => a - b);
}

export const PORT_MAP_CSV_COLUMNS = [
  "switch",
  "switch_kind",
  "port",
  "panel",
  "panel_position",
  "far_host",
  "far_nic",
  "far_mac",
  "bond",
  "vlan_mode",
  "native_vlan",
  "tagged_vlans",
  "speed_mbps",
  "notes",
] as const;

/** Our own CSV: one row per switch port, every typed field (formula cells escaped by formatCsv). */
export function formatPortMapCsv(rows: PortMapEntryValues[]): string {
  return formatCsv(
    [...PORT_MAP_CSV_COLUMNS],
    rows.map((r) => [
      r.switchName,
      r.switchKind,
      r.port,
      r.panel ?? "",
      r.panelPosition ?? "",
      r.farHost ?? "",
      r.farNic ?? "",
      r.farMac ?? "",
      r.bond ?? "",
      r.vlanMode ?? "",
      r.nativeVlan ?? "",
      r.taggedVlans.join(","),
      r.speedMbps ?? "",
      r.notes ?? "",
    ]),
  );
}

type Row = Record<string, string>;

export function readCsvRows(csv: string, required: string[], what: string): Row[] {
  let rows: Row[];
  try {
    rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, cast: (v) => unescapeSpreadsheetFormula(v) }) as Row[];
  } catch (e) {
    throw new AppError("BAD_REQUEST", `${what}: ${(e as Error).message}`, { field: "csv" });
  }
  const missing = rows.length ? required.filter((c) => !(c in rows[0]!)) : [];
  if (missing.length) throw new AppError("BAD_REQUEST", `${what} needs the column(s) ${missing.join(", ")}`, { field: "csv" });
  return rows;
}

/** Runs a row's parse, turning its error into "row N: why" (N counts the header as row 1). */
export function parseRows<T>(rows: Row[], what: string, fn: (row: Row) => T): T[] {
  return rows.map((row, i) => {
    try {
      return fn(row);
    } catch (e) {
      throw new AppError("BAD_REQUEST", `${what} row ${i + 2}: ${(e as Error).message}`, { field: "csv" });
    }
  });
}

const numberOrNull = (v: string | undefined) => (v && v.trim() ? Number(v) : null);

export function parsePortMapCsv(csv: string): PortMapEntryValues[] {
  return parseRows(readCsvRows(csv, ["switch", "port"], "Port map CSV"), "Port map CSV", (r) =>
    parsePortMapEntry({
      switchName: r.switch,
      switchKind: r.switch_kind || undefined,
      port: r.port,
      panel: r.panel,
      panelPosition: r.panel_position,
      farHost: r.far_host,
      farNic: r.far_nic,
      farMac: r.far_mac,
      bond: r.bond,
      vlanMode: r.vlan_mode || null,
      nativeVlan: numberOrNull(r.native_vlan),
      taggedVlans: parseVlanList(r.tagged_vlans ?? ""),
      speedMbps: numberOrNull(r.speed_mbps),
      notes: r.notes,
    }),
  );
}
