import { computeInventoryDrift, type InventoryDrift } from "./drift";
import { parseIpAddressesConf, type ConfProblem, type ParsedConf } from "./ip-addresses-conf";
import { computeIpamDrift, IPAM_DRIFT_KINDS, type IpamDrift, type IpamRecord, type SwitchBindingRecord, type VmacRecord } from "./ipam-drift";
import { toDriftGuests } from "./live-guest";
import type { LiveInventoryData } from "./snapshot";
import { parseVmidTable, type ParsedVmidTable, type VmidTableProblem } from "./vmid-table";

// The JSON the API and the CLI hand out (`live_inventory.json`, `drift.json`): always with the
// snapshot's freshness, so a reader can never take stale data for current.

export interface Freshness {
  collected_at: string | null;
  is_stale: boolean;
  /** The newest collection's error when it failed (the data is then the last good snapshot's). */
  error: string | null;
  /** The CLI only: Proxmox could not be reached by this run. */
  seed_unreachable?: boolean;
}

export type LiveInventoryJson = Freshness & LiveInventoryData;

export const DRIFT_KINDS = [
  "guest_ips_not_in_ip_addresses_conf",
  "ip_addresses_conf_ips_not_on_guests",
  "vmid_ip_mismatch",
  "guests_only_in_doc",
  "guests_only_on_cluster",
  "duplicate_guest_ips",
] as const satisfies ReadonlyArray<keyof InventoryDrift>;

export interface DeclaredFile {
  name: string | null;
  imported_at: string | null;
  entries: number;
  problems: Array<ConfProblem | VmidTableProblem>;
}

/** Every kind drift.json reports: declared files vs Proxmox, then IPAM vs Proxmox and vs the switches. */
export const ALL_DRIFT_KINDS = [...DRIFT_KINDS, ...IPAM_DRIFT_KINDS] as const;
export type DriftKind = (typeof ALL_DRIFT_KINDS)[number];

export type DriftJson = Freshness & {
  declared: { ip_addresses_conf: DeclaredFile | null; vmid_doc: DeclaredFile | null };
  /** How many IPAM addresses and switch bindings the IPAM kinds compared (0: that side was not compared). */
  ipam: { addresses: number; bindings: number };
  /** null when there is no live data, or nothing (declared files, IPAM) to compare it with: unknown, not "no drift". */
  counts: Record<DriftKind, number> | null;
} & Partial<InventoryDrift> &
  Partial<IpamDrift>;

/** IPAM's side of drift: its addresses, the switches' latest bindings and the active VMACs. */
export interface IpamSide {
  /** Every address computeIpamDrift can name (it may be all of IPAM, or only those: see getIpamDriftSide). */
  addresses: IpamRecord[];
  /** How many addresses IPAM holds in all. */
  addressCount: number;
  bindings: SwitchBindingRecord[];
  vmacs: VmacRecord[];
}

export interface DeclaredText<Parsed = never> {
  content: string;
  name?: string | null;
  importedAt?: Date | null;
  /** The parse made at import; the text is parsed here only when it is absent (a file given to the CLI). */
  parsed?: Parsed | null;
}

/** Drift is computed only against something: a declared file or IPAM rows (else there is nothing to compare, not "no drift"). */
export function hasDriftBasis(input: { hasDeclared: boolean; ipamAddresses: number }): boolean {
  return input.hasDeclared || input.ipamAddresses > 0;
}

/** Drift of the live data against the declared files, with counts and what could not be read. */
export function buildDriftJson(input: {
  freshness: Freshness;
  data: LiveInventoryData | null;
  conf: DeclaredText<ParsedConf> | null;
  doc: DeclaredText<ParsedVmidTable> | null;
  /** Absent where IPAM is not at hand (the CLI reading files): the IPAM kinds are then empty. */
  ipam?: IpamSide;
}): DriftJson {
  const conf = input.conf ? (input.conf.parsed ?? parseIpAddressesConf(input.conf.content)) : null;
  const doc = input.doc ? (input.doc.parsed ?? parseVmidTable(input.doc.content)) : null;
  const describe = (t: DeclaredText<unknown> | null, parsed: { problems: DeclaredFile["problems"] } | null, entries: number): DeclaredFile | null =>
    t && parsed ? { name: t.name ?? null, imported_at: t.importedAt?.toISOString() ?? null, entries, problems: parsed.problems } : null;
  const declared = { ip_addresses_conf: describe(input.conf, conf, conf?.entries.length ?? 0), vmid_doc: describe(input.doc, doc, doc?.rows.length ?? 0) };
  const ipam = { addresses: input.ipam?.addressCount ?? 0, bindings: input.ipam?.bindings.length ?? 0 };
  if (!input.data || !hasDriftBasis({ hasDeclared: conf !== null || doc !== null, ipamAddresses: ipam.addresses }))
    return { ...input.freshness, declared, ipam, counts: null };
  const guests = toDriftGuests(input.data);
  const drift = computeInventoryDrift({ guests, conf: conf?.entries ?? [], doc: doc?.rows ?? [] });
  // A kind that needs a file not imported is not computed: empty, never a false alarm.
  if (!conf) Object.assign(drift, { guest_ips_not_in_ip_addresses_conf: [], ip_addresses_conf_ips_not_on_guests: [] });
  if (!doc) Object.assign(drift, { vmid_ip_mismatch: [], guests_only_in_doc: [], guests_only_on_cluster: [] });
  const ipamDrift = computeIpamDrift({
    ipam: input.ipam?.addresses ?? [],
    ipamCount: ipam.addresses,
    guests,
    bindings: input.ipam?.bindings ?? [],
    vmacs: input.ipam?.vmacs ?? [],
  });
  const all = { ...drift, ...ipamDrift };
  const counts = Object.fromEntries(ALL_DRIFT_KINDS.map((k) => [k, all[k].length])) as NonNullable<DriftJson["counts"]>;
  return { ...input.freshness, declared, ipam, counts, ...all };
}

/**
 * Drift for a page: each kind's list cut to its first `limit` rows, the counts kept whole. At a
 * provider's size a kind can name every address (100k), which no page can render (bench:pages:
 * 19 MB and 17 s); drift.json (the API) keeps every row.
 */
export function limitDriftLists(drift: DriftJson, limit: number): DriftJson {
  const cut: Partial<Record<DriftKind, unknown[]>> = {};
  for (const kind of ALL_DRIFT_KINDS) {
    const rows = drift[kind] as unknown[] | undefined;
    if (rows && rows.length > limit) cut[kind] = rows.slice(0, limit);
  }
  return { ...drift, ...cut } as DriftJson;
}
