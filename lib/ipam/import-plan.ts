import type { DeclaredAddress, ImportConflict } from "./declared-import";
import type { CsvAddress, CsvPrefix, CsvVlan } from "./netbox-csv";
import { findContainingPrefix, isInPrefix } from "./values";

// What an import would do, before it does it: every row to create, update or leave, and every
// conflict with its reason. The console shows it; applying re-computes it from the database and
// refuses when it no longer matches what the admin confirmed (see `digestSource`).

export type ImportAction = "create" | "update" | "unchanged" | "conflict";

export interface ImportPlanRow {
  action: ImportAction;
  /** The row's identity: a VID, a prefix, an address. */
  key: string;
  /** Why: what changes, why nothing does, or what stands in the way. */
  reason: string;
  /** The CSV row (header = 1) or the declared file's line, when known. */
  line: number | null;
  /** Field by field, for updates: [before, after]. */
  changes?: Record<string, [unknown, unknown]>;
}

export interface ImportPlan<T> {
  rows: ImportPlanRow[];
  counts: Record<ImportAction, number>;
  /** What the apply step writes, in order: the create and update rows' values. */
  writes: Array<{ action: "create" | "update"; key: string; values: T }>;
}

function finish<T>(rows: ImportPlanRow[], writes: ImportPlan<T>["writes"]): ImportPlan<T> {
  const counts: Record<ImportAction, number> = { create: 0, update: 0, unchanged: 0, conflict: 0 };
  for (const r of rows) counts[r.action]++;
  return { rows, counts, writes };
}

/** Field-by-field differences of the fields an import sets; nulls and missing are the same. */
function diff<T extends object>(before: T, after: T, fields: ReadonlyArray<keyof T>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const f of fields) {
    const b = before[f] ?? null;
    const a = after[f] ?? null;
    if (b !== a) out[String(f)] = [b, a];
  }
  return out;
}

const describeChanges = (changes: Record<string, [unknown, unknown]>) =>
  Object.entries(changes)
    .map(([f, [b, a]]) => `${f}: ${b === null ? "—" : String(b)} → ${a === null ? "—" : String(a)}`)
    .join(", ");

/** Classifies each parsed row against what is stored, keyed by `keyOf`; a key twice in the file is a conflict. */
function planRows<T extends object>(input: {
  rows: readonly T[];
  keyOf: (row: T) => string;
  existing: ReadonlyMap<string, T>;
  fields: ReadonlyArray<keyof T>;
  /** A reason the row cannot be written, or null. */
  check?: (row: T) => string | null;
  noun: string;
}): ImportPlan<T> {
  const rows: ImportPlanRow[] = [];
  const writes: ImportPlan<T>["writes"] = [];
  const firstLine = new Map<string, number>();
  const twice = new Set<string>();
  input.rows.forEach((row, i) => {
    const key = input.keyOf(row);
    const line = i + 2;
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      twice.add(key);
      rows.push({ action: "conflict", key, line, reason: `${input.noun} ${key} is in the file twice (rows ${earlier} and ${line}): neither is guessed` });
      return;
    }
    firstLine.set(key, line);
    const problem = input.check?.(row);
    if (problem) {
      rows.push({ action: "conflict", key, line, reason: problem });
      return;
    }
    const before = input.existing.get(key);
    if (!before) {
      rows.push({ action: "create", key, line, reason: `new ${input.noun}` });
      writes.push({ action: "create", key, values: row });
      return;
    }
    const changes = diff(before, row, input.fields);
    if (Object.keys(changes).length === 0) rows.push({ action: "unchanged", key, line, reason: "same as stored" });
    else {
      rows.push({ action: "update", key, line, reason: describeChanges(changes), changes });
      writes.push({ action: "update", key, values: row });
    }
  });
  // A key twice is a conflict as a whole: its first row is not written either.
  for (const r of rows)
    if (twice.has(r.key) && r.action !== "conflict")
      Object.assign(r, { action: "conflict", reason: `${input.noun} ${r.key} is in the file twice: neither is guessed` });
  return finish(
    rows,
    writes.filter((w) => !twice.has(w.key)),
  );
}

export function planVlansImport(rows: readonly CsvVlan[], existing: readonly CsvVlan[]): ImportPlan<CsvVlan> {
  return planRows({
    rows,
    keyOf: (v) => String(v.vid),
    existing: new Map(existing.map((v) => [String(v.vid), v])),
    fields: ["name", "status", "description", "environment"],
    noun: "VLAN",
  });
}

/** A prefix on a VLAN IPAM does not know, or with a gateway outside it, is a conflict. */
export function planPrefixesImport(rows: readonly CsvPrefix[], existing: readonly CsvPrefix[], knownVids: ReadonlySet<number>): ImportPlan<CsvPrefix> {
  return planRows({
    rows,
    keyOf: (p) => p.prefix,
    existing: new Map(existing.map((p) => [p.prefix, p])),
    fields: ["vid", "gateway", "environment", "routingNotes", "description"],
    noun: "prefix",
    check: (p) => {
      if (p.vid !== null && !knownVids.has(p.vid)) return `VLAN ${p.vid} is not in IPAM: import or add it first`;
      if (p.gateway && !isInPrefix(p.gateway, p.prefix)) return `gateway ${p.gateway} is not inside ${p.prefix}`;
      return null;
    },
  });
}

/** An address outside every prefix is a conflict; `prefixes` are those stored. */
export function planAddressesImport(
  rows: readonly CsvAddress[],
  existing: readonly CsvAddress[],
  prefixes: ReadonlyArray<{ prefix: string }>,
): ImportPlan<CsvAddress> {
  const stored = new Map(existing.map((a) => [a.address, a]));
  // A row without a source keeps the stored row's (a new one is "csv"): the file did not say.
  const filled = rows.map((a) => ({ ...a, sourceRef: a.sourceRef ?? stored.get(a.address)?.sourceRef ?? "csv" }));
  return planRows({
    rows: filled,
    keyOf: (a) => a.address,
    existing: stored,
    fields: ["status", "hostname", "vmid", "mac", "vlanVid", "ownerTeam", "service", "sourceRef"],
    noun: "address",
    check: (a) => (findContainingPrefix(a.address, prefixes) ? null : `${a.address} is outside every prefix in IPAM: add its prefix first`),
  });
}

/** An address the declared files name, as the import would write it (what `planDeclaredImport` found). */
export type DeclaredWrite = DeclaredAddress;

/**
 * The declared import's plan: `planDeclaredImport`'s addresses classified against the stored rows
 * (hostname, VMID, prefix), and its conflicts with their file and line.
 */
export function planDeclaredRows(
  planned: { addresses: readonly DeclaredWrite[]; conflicts: readonly ImportConflict[] },
  existing: ReadonlyMap<string, { hostname: string | null; vmid: number | null; prefixId: number | null }>,
): ImportPlan<DeclaredWrite> {
  const rows: ImportPlanRow[] = [];
  const writes: ImportPlan<DeclaredWrite>["writes"] = [];
  for (const a of planned.addresses) {
    const before = existing.get(a.address);
    if (!before) {
      rows.push({ action: "create", key: a.address, line: null, reason: `new address from ${a.sourceRef}` });
      writes.push({ action: "create", key: a.address, values: a });
      continue;
    }
    const changes = diff(
      { hostname: before.hostname, vmid: before.vmid, prefixId: before.prefixId },
      { hostname: a.hostname, vmid: a.vmid, prefixId: a.prefixId },
      ["hostname", "vmid", "prefixId"],
    );
    if (Object.keys(changes).length === 0) rows.push({ action: "unchanged", key: a.address, line: null, reason: "same as stored" });
    else {
      rows.push({ action: "update", key: a.address, line: null, reason: describeChanges(changes), changes });
      writes.push({ action: "update", key: a.address, values: a });
    }
  }
  for (const c of planned.conflicts) rows.push({ action: "conflict", key: c.kind, line: c.line, reason: `${c.file}: ${c.message}` });
  return finish(rows, writes);
}

/**
 * The text a plan's digest is taken of: the rows and the writes, in order. Two plans with the same
 * digest write the same thing over the same stored rows; anything changed in between (a row
 * created, edited, a prefix added) changes a row's action, reason or values, hence the digest.
 */
export function digestSource(plan: ImportPlan<unknown>): string {
  return JSON.stringify({ rows: plan.rows, writes: plan.writes });
}
