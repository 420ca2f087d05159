import { parse } from "csv-parse/sync";
import { unescapeSpreadsheetFormula } from "../csv/escape-formula";
import { formatCsv } from "../csv/format-csv";
import { AppError } from "../errors";
import { parseMacAddress } from "../junos/values";
import { parseIpAddress } from "../net/ip";
import { parsePrefix, parseVid } from "./values";

// NetBox's CSV import/export columns, so data moves both ways. Our fields NetBox lacks travel as
// custom fields (`cf_…`), the way NetBox itself exports them.

export type CsvKind = "vlans" | "prefixes" | "ip-addresses";

export const CSV_COLUMNS: Record<CsvKind, string[]> = {
  vlans: ["vid", "name", "status", "description", "cf_environment"],
  prefixes: ["prefix", "status", "vlan", "description", "cf_gateway", "cf_environment", "cf_routing_notes"],
  "ip-addresses": [
    "address",
    "status",
    "dns_name",
    "description",
    "cf_vmid",
    "cf_mac",
    "cf_vlan",
    "cf_owner_team",
    "cf_service",
    "cf_source_ref",
    "cf_sankofa_status",
  ],
};

export interface CsvVlan {
  vid: number;
  name: string;
  status: "current" | "planned";
  description: string | null;
  environment: string | null;
}
export interface CsvPrefix {
  prefix: string;
  vid: number | null;
  description: string | null;
  gateway: string | null;
  environment: string | null;
  routingNotes: string | null;
}
export type AddressStatus = "planned" | "active" | "deprecated" | "released";
export interface CsvAddress {
  address: string;
  status: AddressStatus;
  hostname: string | null;
  vmid: number | null;
  mac: string | null;
  vlanVid: number | null;
  ownerTeam: string | null;
  service: string | null;
  sourceRef: string | null;
}

type Row = Record<string, string>;
const text = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

function rowsOf(csv: string, kind: CsvKind): Row[] {
  let rows: Row[];
  try {
    // Cells our own export escaped against spreadsheet formulas come back as they were.
    rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, cast: (v) => unescapeSpreadsheetFormula(v) }) as Row[];
  } catch (e) {
    throw new AppError("BAD_REQUEST", `CSV: ${(e as Error).message}`, { field: "csv" });
  }
  const required = CSV_COLUMNS[kind][0]!;
  if (rows.length && !(required in rows[0]!))
    throw new AppError("BAD_REQUEST", `CSV for ${kind} needs a "${required}" column (NetBox's header)`, { field: "csv" });
  return rows;
}

/** Runs a row parser, turning its error into "row N, column: why" (N counts the header as row 1). */
function eachRow<T>(rows: Row[], fn: (row: Row, col: (name: string, f: () => T[keyof T] | unknown) => unknown) => T): T[] {
  return rows.map((row, i) =>
    fn(row, (name, f) => {
      try {
        return f();
      } catch (e) {
        throw new AppError("BAD_REQUEST", `row ${i + 2}, column ${name}: ${(e as Error).message}`, { field: "csv" });
      }
    }),
  );
}

const VLAN_STATUS: Record<string, CsvVlan["status"]> = { active: "current", reserved: "planned", current: "current", planned: "planned" };
const ADDRESS_STATUS: Record<string, AddressStatus> = { active: "active", dhcp: "active", slaac: "active", reserved: "planned", deprecated: "deprecated" };

export function parseVlansCsv(csv: string): CsvVlan[] {
  return eachRow(rowsOf(csv, "vlans"), (r, col) => ({
    vid: col("vid", () => parseVid(r.vid ?? "")) as number,
    name: col("name", () => text(r.name) ?? failWith("a name is required")) as string,
    status: col("status", () => VLAN_STATUS[(r.status ?? "active").toLowerCase()] ?? failWith(`"${r.status}" is not active or reserved`)) as CsvVlan["status"],
    description: text(r.description),
    environment: text(r.cf_environment),
  }));
}

export function parsePrefixesCsv(csv: string): CsvPrefix[] {
  return eachRow(rowsOf(csv, "prefixes"), (r, col) => ({
    prefix: col("prefix", () => parsePrefix(r.prefix ?? "").prefix) as string,
    vid: col("vlan", () => (text(r.vlan) ? parseVid(r.vlan!) : null)) as number | null,
    description: text(r.description),
    gateway: col("cf_gateway", () => (text(r.cf_gateway) ? parseIpAddress(r.cf_gateway!).ip : null)) as string | null,
    environment: text(r.cf_environment),
    routingNotes: text(r.cf_routing_notes),
  }));
}

export function parseAddressesCsv(csv: string): CsvAddress[] {
  return eachRow(rowsOf(csv, "ip-addresses"), (r, col) => ({
    // NetBox writes the address with its mask (10.11.0.5/24); the host part is what we store.
    address: col("address", () => parseIpAddress((r.address ?? "").split("/")[0]!).ip) as string,
    status: col("status", () => {
      const exact = text(r.cf_sankofa_status);
      if (exact && ["planned", "active", "deprecated", "released"].includes(exact)) return exact;
      return ADDRESS_STATUS[(r.status ?? "active").toLowerCase()] ?? failWith(`"${r.status}" is not active, reserved or deprecated`);
    }) as AddressStatus,
    hostname: text(r.dns_name),
    vmid: col("cf_vmid", () => (text(r.cf_vmid) ? positiveInt(r.cf_vmid!) : null)) as number | null,
    mac: col("cf_mac", () => (text(r.cf_mac) ? parseMacAddress(r.cf_mac!) : null)) as string | null,
    vlanVid: col("cf_vlan", () => (text(r.cf_vlan) ? parseVid(r.cf_vlan!) : null)) as number | null,
    ownerTeam: text(r.cf_owner_team),
    service: text(r.cf_service) ?? text(r.description),
    sourceRef: text(r.cf_source_ref),
  }));
}

function failWith(message: string): never {
  throw new Error(message);
}
function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`"${v}" is not a positive whole number`);
  return n;
}

// The exports below write through formatCsv, which escapes cells a spreadsheet would run as formulas.
const TO_NETBOX_ADDRESS: Record<AddressStatus, string> = { active: "active", planned: "reserved", deprecated: "deprecated", released: "deprecated" };

export function formatVlansCsv(rows: CsvVlan[]): string {
  return formatCsv(
    CSV_COLUMNS.vlans,
    rows.map((v) => [v.vid, v.name, v.status === "current" ? "active" : "reserved", v.description ?? "", v.environment ?? ""]),
  );
}

export function formatPrefixesCsv(rows: CsvPrefix[]): string {
  return formatCsv(
    CSV_COLUMNS.prefixes,
    rows.map((p) => [p.prefix, "active", p.vid ?? "", p.description ?? "", p.gateway ?? "", p.environment ?? "", p.routingNotes ?? ""]),
  );
}

/** `maskLength`: the containing prefix's, as NetBox writes addresses (a lone host gets /32 or /128). */
export function formatAddressesCsv(rows: Array<CsvAddress & { maskLength: number | null }>): string {
  return formatCsv(
    CSV_COLUMNS["ip-addresses"],
    rows.map((a) => [
      `${a.address}/${a.maskLength ?? (a.address.includes(":") ? 128 : 32)}`,
      TO_NETBOX_ADDRESS[a.status],
      a.hostname ?? "",
      a.service ?? "",
      a.vmid ?? "",
      a.mac ?? "",
      a.vlanVid ?? "",
      a.ownerTeam ?? "",
      a.service ?? "",
      a.sourceRef ?? "",
      a.status,
    ]),
  );
}
