import { and, desc, eq, getTableColumns, isNotNull, isNull, sql } from "drizzle-orm";
import { inventoryDeclared, inventorySnapshots, ipamAddresses, switches, vmacs, type InventoryDeclaredRow, type InventorySnapshotRow } from "@/drizzle/schema";
import type { Binding } from "@/lib/junos/bindings";
import { AppError } from "@/lib/errors";
import { parseIpAddressesConf, type ParsedConf } from "@/lib/inventory/ip-addresses-conf";
import { findDuplicateGuestIps } from "@/lib/inventory/drift";
import { isIpAddress } from "@/lib/net/ip";
import type { IpamRecord } from "@/lib/inventory/ipam-drift";
import { toDriftGuests } from "@/lib/inventory/live-guest";
import {
  buildDriftJson,
  hasDriftBasis,
  type DeclaredText,
  type DriftJson,
  type Freshness,
  type IpamSide,
  type LiveInventoryJson,
} from "@/lib/inventory/report";
import type { NodeCapacityRecord } from "@/lib/inventory/capacity-history";
import { isSnapshotStale } from "@/lib/inventory/snapshot";
import { parseVmidTable, type ParsedVmidTable } from "@/lib/inventory/vmid-table";
import type { DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import { readLatestBindings, type LatestBindings } from "../port-state/latest-bindings";

export interface InventoryStatus extends Freshness {
  /** The newest attempt, whatever became of it. */
  lastAttempt: Pick<InventorySnapshotRow, "id" | "status" | "startedAt" | "trigger" | "error"> | null;
  isCollecting: boolean;
}

/**
 * The last good snapshot's data as last read, by snapshot. A good snapshot's data is written once,
 * with its `ok` (collectInventory), and never changed after, so the rows need not be read and parsed
 * again for every page: at 10k guests that is megabytes of JSON per read (bench:pages). Keyed by id
 * and both times, so another database in the same process (tests) never gets this one's data.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

let lastGoodData: { key: string; data: InventorySnapshotRow["data"] } | null = null;

async function latestGood(db: DbOrTx): Promise<InventorySnapshotRow | null> {
  const { data: _data, ...withoutData } = getTableColumns(inventorySnapshots);
  const [row] = await db
    .select(withoutData)
    .from(inventorySnapshots)
    .where(and(eq(inventorySnapshots.status, "ok"), isNotNull(inventorySnapshots.collectedAt)))
    .orderBy(desc(inventorySnapshots.collectedAt))
    .limit(1);
  if (!row) return null;
  const key = `${row.id}|${row.startedAt.toISOString()}|${row.collectedAt!.toISOString()}`;
  if (lastGoodData?.key !== key) {
    const [read] = await db.select({ data: inventorySnapshots.data }).from(inventorySnapshots).where(eq(inventorySnapshots.id, row.id));
    // Pruned between the two reads: a newer good one exists, read again.
    if (!read) return latestGood(db);
    // Frozen: every request shares it, so a reader that sorted or edited it in place would throw, not corrupt the next page.
    lastGoodData = { key, data: deepFreeze(read.data) };
  }
  return { ...row, data: lastGoodData.data };
}

async function latestFinishedAttempt(db: DbOrTx) {
  const cols = {
    id: inventorySnapshots.id,
    status: inventorySnapshots.status,
    startedAt: inventorySnapshots.startedAt,
    trigger: inventorySnapshots.trigger,
    error: inventorySnapshots.error,
  };
  const [newest] = await db.select(cols).from(inventorySnapshots).orderBy(desc(inventorySnapshots.id)).limit(1);
  const [failed] = await db.select(cols).from(inventorySnapshots).where(eq(inventorySnapshots.status, "failed")).orderBy(desc(inventorySnapshots.id)).limit(1);
  return { newest: newest ?? null, failed: failed ?? null };
}

/** The good snapshot to show and how fresh it is: a later failure or its age makes it stale. */
export async function getInventoryStatus(db: DbOrTx, now = new Date()): Promise<InventoryStatus & { snapshot: InventorySnapshotRow | null }> {
  const [good, { newest, failed }] = await Promise.all([latestGood(db), latestFinishedAttempt(db)]);
  const isFailedAfterGood = failed !== null && (!good || failed.id > good.id);
  return {
    snapshot: good,
    collected_at: good?.collectedAt?.toISOString() ?? null,
    is_stale: isSnapshotStale({ collectedAt: good?.collectedAt ?? null, lastFailedAt: isFailedAfterGood ? failed.startedAt : null, now }),
    error: isFailedAfterGood ? failed.error : null,
    lastAttempt: newest,
    isCollecting: newest?.status === "running",
  };
}

/** `live_inventory.json`: the last good snapshot with its freshness (empty, stale, before any). */
export async function getLiveInventory(db: DbOrTx, now = new Date()): Promise<LiveInventoryJson> {
  const { snapshot, collected_at, is_stale, error } = await getInventoryStatus(db, now);
  return { collected_at, is_stale, error, nodes: snapshot?.data?.nodes ?? [], guests: snapshot?.data?.guests ?? [], warnings: snapshot?.data?.warnings ?? [] };
}

/** The imported files with the parse made at import (drift never re-reads the text). */
export async function getDeclaredFiles(db: DbOrTx): Promise<{ conf: DeclaredText<ParsedConf> | null; doc: DeclaredText<ParsedVmidTable> | null }> {
  const rows = await db.select().from(inventoryDeclared);
  const conf = rows.find((r) => r.kind === "ip-addresses-conf");
  const doc = rows.find((r) => r.kind === "vmid-doc");
  const toText = <P>(r: InventoryDeclaredRow) => ({ content: r.content, name: r.fileName, importedAt: r.importedAt, parsed: r.parsed as P | null });
  return { conf: conf ? toText<ParsedConf>(conf) : null, doc: doc ? toText<ParsedVmidTable>(doc) : null };
}

/**
 * IPAM's side of drift: the addresses the comparisons can name, the switches' latest bindings (needs
 * the secrets key to read backups) and the active VMACs. Not every address: at a provider's size
 * (100k) reading them all was most of the drift page's time (bench:pages). computeIpamDrift looks at
 * the active addresses that name a VMID, and otherwise only looks up the addresses the guests, the
 * bindings and the VMACs hold; those are the rows read here, so its result is the same as over all.
 */
export async function getIpamDriftSide(db: DbOrTx, secretsKey: Buffer | undefined, guestIps: readonly string[]): Promise<IpamSide> {
  const [activeVmacs, latest, names] = await Promise.all([
    db.select({ ip: vmacs.ip, mac: vmacs.mac }).from(vmacs).where(isNull(vmacs.releasedAt)),
    secretsKey ? readLatestBindings(db, secretsKey) : Promise.resolve(new Map<number, LatestBindings>()),
    db.select({ id: switches.id, name: switches.name }).from(switches),
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const bindings = [...latest].flatMap(([switchId, l]) =>
    [...(l.parsed?.ports ?? new Map<string, Binding[]>())].flatMap(([iface, bs]) =>
      bs.map((b) => ({ switch: nameOf.get(switchId) ?? String(switchId), interface: iface, ip: b.ip, mac: b.mac, vlan: b.vlan })),
    ),
  );
  // Only well-formed addresses are looked up (a guest's agent can report anything; inet would refuse the whole array).
  const looked = [...new Set([...guestIps, ...bindings.map((b) => b.ip), ...activeVmacs.map((v) => v.ip)])].filter((ip) => isIpAddress(ip));
  const columns = sql`host(address) as address, status, vmid, hostname, mac`;
  type Row = IpamRecord & Record<string, unknown>;
  // Two reads side by side, merged here: one UNION (its dedupe and sort) took twice as long (bench:pages).
  const [active, held, [count]] = await Promise.all([
    db.execute<Row>(sql`select ${columns} from ipam_addresses where status = 'active' and vmid is not null order by ipam_addresses.address`),
    db.execute<Row>(sql`
      select ${columns} from ipam_addresses
      where address = any(${`{${looked.join(",")}}`}::inet[])
      order by ipam_addresses.address`),
    db.select({ n: sql<number>`count(*)::int` }).from(ipamAddresses),
  ]);
  const addresses = new Map<string, IpamRecord>();
  for (const r of [...active, ...held]) addresses.set(r.address, { address: r.address, status: r.status, vmid: r.vmid, hostname: r.hostname, mac: r.mac });
  return { addresses: [...addresses.values()], addressCount: count?.n ?? 0, bindings, vmacs: activeVmacs };
}

/** Every address the last good snapshot's guests hold (what drift looks up in IPAM). */
function guestIpsOf(data: InventorySnapshotRow["data"] | null): string[] {
  return data ? toDriftGuests(data).flatMap((g) => g.ips) : [];
}

/**
 * `drift.json`: the last good snapshot against the imported declared files and IPAM, and IPAM
 * against the switches' latest backups (those kinds are empty without the secrets key).
 */
export async function getInventoryDrift(db: DbOrTx, deps: { secretsKey?: Buffer } = {}, now = new Date()): Promise<DriftJson> {
  const [{ snapshot, collected_at, is_stale, error }, declared] = await Promise.all([getInventoryStatus(db, now), getDeclaredFiles(db)]);
  const ipam = await getIpamDriftSide(db, deps.secretsKey, guestIpsOf(snapshot?.data ?? null));
  return buildDriftJson({ freshness: { collected_at, is_stale, error }, data: snapshot?.data ?? null, ...declared, ipam });
}

/**
 * The dashboard's line: the duplicate guest IPs drift names, and how fresh that is. Read without
 * IPAM's rows (only whether it has any) and without the declared files' text: the full drift reads
 * every address, which at 100k addresses is most of a dashboard's time (bench:pages).
 */
export async function getInventoryAlerts(db: DbOrTx, now = new Date()) {
  const [{ snapshot, collected_at, is_stale, error }, declared, [anyAddress]] = await Promise.all([
    getInventoryStatus(db, now),
    db.select({ kind: inventoryDeclared.kind }).from(inventoryDeclared),
    db.select({ id: ipamAddresses.id }).from(ipamAddresses).limit(1),
  ]);
  const data = snapshot?.data ?? null;
  const isCompared = data !== null && hasDriftBasis({ hasDeclared: declared.length > 0, ipamAddresses: anyAddress ? 1 : 0 });
  return { duplicateGuestIps: isCompared ? findDuplicateGuestIps(toDriftGuests(data)) : [], collected_at, is_stale, error };
}

export interface DeclaredImport {
  conf?: { content: string; name?: string };
  doc?: { content: string; name?: string };
}

/**
 * Stores the declared files drift compares with. A file nothing could be read from is refused;
 * lines that could not be read are kept and reported with their numbers on the drift page.
 */
export async function importDeclaredFiles(db: DbOrTx, actor: Actor, input: DeclaredImport): Promise<{ confEntries: number | null; docRows: number | null }> {
  if (!input.conf && !input.doc) throw new AppError("BAD_REQUEST", "Give ip-addresses.conf, the VMID doc, or both");
  const conf = input.conf ? parseIpAddressesConf(input.conf.content) : null;
  const doc = input.doc ? parseVmidTable(input.doc.content) : null;
  if (conf && conf.entries.length === 0) {
    const first = conf.problems[0];
    throw new AppError("BAD_REQUEST", `ip-addresses.conf: no KEY=ip line could be read${first ? ` (line ${first.line}: ${first.message})` : ""}`, {
      field: "conf",
    });
  }
  if (doc && doc.rows.length === 0) {
    const first = doc.problems[0];
    throw new AppError(
      "BAD_REQUEST",
      `VMID doc: no table with VMID and IP columns and readable rows${first ? ` (line ${first.line}: ${first.message})` : ""}`,
      { field: "doc" },
    );
  }
  return db.transaction(async (tx) => {
    const save = async (
      kind: InventoryDeclaredRow["kind"],
      file: { content: string; name?: string },
      parsed: ParsedConf | ParsedVmidTable,
      summary: object,
    ) => {
      const values = { kind, content: file.content, fileName: file.name ?? null, importedAt: new Date(), importedBy: actor.id, parsed };
      await tx.insert(inventoryDeclared).values(values).onConflictDoUpdate({ target: inventoryDeclared.kind, set: values });
      await writeAudit(tx, actor, {
        action: "inventory.declared_imported",
        entityType: "inventory_declared",
        entityId: kind,
        after: { name: file.name ?? null, ...summary },
      });
    };
    if (input.conf && conf) await save("ip-addresses-conf", input.conf, conf, { entries: conf.entries.length, problems: conf.problems.length });
    if (input.doc && doc) await save("vmid-doc", input.doc, doc, { rows: doc.rows.length, problems: doc.problems.length });
    return { confEntries: conf?.entries.length ?? null, docRows: doc?.rows.length ?? null };
  });
}

/** How far back the capacity picture looks, and how fine: the newest collection of each hour per node. */
export const CAPACITY_HISTORY_DAYS = 14;

/**
 * Each node's stored capacity figures over the last `days` (one row per node and hour: the hour's
 * newest collection), oldest first. Only collections made since the figures were stored have rows.
 */
export async function listNodeCapacityHistory(
  db: DbOrTx,
  opts: { days?: number; now?: Date } = {},
): Promise<Array<NodeCapacityRecord & { collectedAt: Date }>> {
  const since = new Date((opts.now ?? new Date()).getTime() - (opts.days ?? CAPACITY_HISTORY_DAYS) * 86_400_000);
  const rows = await db.execute<{
    node: string;
    collected_at: string | Date;
    cpu_total: number;
    cpu_allocated: number;
    cpu_used: number | null;
    mem_total_bytes: string;
    mem_allocated_bytes: string;
    mem_used_bytes: string | null;
    storage_total_bytes: string;
    storage_allocated_bytes: string;
    storage_used_bytes: string | null;
  }>(sql`
    select distinct on (node, date_trunc('hour', collected_at)) node, collected_at, cpu_total, cpu_allocated, cpu_used,
      mem_total_bytes, mem_allocated_bytes, mem_used_bytes, storage_total_bytes, storage_allocated_bytes, storage_used_bytes
    from inventory_node_capacity where collected_at >= ${since.toISOString()}::timestamptz
    order by node, date_trunc('hour', collected_at), collected_at desc`);
  const num = (v: string | number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    node: r.node,
    collectedAt: new Date(r.collected_at),
    cpuTotal: Number(r.cpu_total),
    cpuAllocated: Number(r.cpu_allocated),
    cpuUsed: num(r.cpu_used),
    memTotalBytes: Number(r.mem_total_bytes),
    memAllocatedBytes: Number(r.mem_allocated_bytes),
    memUsedBytes: num(r.mem_used_bytes),
    storageTotalBytes: Number(r.storage_total_bytes),
    storageAllocatedBytes: Number(r.storage_allocated_bytes),
    storageUsedBytes: num(r.storage_used_bytes),
  }));
}
