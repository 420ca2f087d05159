import { and, eq, lt, sql } from "drizzle-orm";
import { inventoryNodeCapacity, inventorySnapshots, type InventorySnapshotRow } from "@/drizzle/schema";
import { mapWithConcurrency } from "@/lib/async";
import { computeNodeCapacityRecords } from "@/lib/inventory/capacity-history";
import { buildLiveGuest } from "@/lib/inventory/live-guest";
import { buildLiveNodeIfaces, buildLiveNodeStorage, buildLiveStorageVolumes } from "@/lib/inventory/node-facts";
import type { LiveInventoryData, LiveInventoryGuest, LiveNode } from "@/lib/inventory/snapshot";
import { ProxmoxError, type ProxmoxClient, type ProxmoxGuest, type ProxmoxNode } from "@/server/connectors/proxmox/client";
import type { Db, DbOrTx } from "@/server/db/client";
import { recordCollectionInTimeline } from "../addresses/timeline";

export type InventoryTrigger = InventorySnapshotRow["trigger"];

// Far longer than any collection takes (a few hundred guests read in seconds).
const ABANDONED_AFTER_MS = 3600_000;
// Enough parallel guest reads to finish a few hundred guests quickly without flooding pveproxy.
const GUEST_CONCURRENCY = 8;

/** An HTTP error on one guest (it vanished, its agent hung) is a warning; losing Proxmox is not. */
function isGuestLevelError(e: unknown): boolean {
  return e instanceof ProxmoxError && e.kind === "http";
}

function hasAgentEnabled(config: Record<string, unknown>): boolean {
  return /^(1|enabled=1)/.test(String(config.agent ?? ""));
}

/** One read of a node; an HTTP error (a node that stopped answering one call) is a warning, not a failed collection. */
async function readNodePart<T>(what: string, node: string, warnings: string[], read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (!isGuestLevelError(e)) throw e;
    warnings.push(`node ${node}: ${what} not read (${(e as Error).message})`);
    return null;
  }
}

/**
 * The guest volumes of a node's active guest storages. A shared storage lists the same volumes on
 * every node: it is read once, from the first node to reach it (`sharedRead`, claimed before the call).
 */
async function readStorageVolumes(client: ProxmoxClient, node: string, storages: LiveNode["storage"], sharedRead: Set<string>, warnings: string[]) {
  return Promise.all(
    storages.map(async (s) => {
      const isGuestStorage = (s.content ?? []).some((c) => c === "images" || c === "rootdir");
      if (!isGuestStorage || !s.is_active) return s;
      if (s.is_shared) {
        if (sharedRead.has(s.storage)) return s;
        sharedRead.add(s.storage);
      }
      const volumes = await readNodePart(`content of ${s.storage}`, node, warnings, () => client.listStorageContent(node, s.storage));
      return volumes ? { ...s, volumes: buildLiveStorageVolumes(volumes) } : s;
    }),
  );
}

async function collectNode(client: ProxmoxClient, n: ProxmoxNode, warnings: string[], sharedRead: Set<string>): Promise<LiveNode> {
  const isOnline = n.status === "online";
  // An offline node answers none of these (pveproxy proxies to it): nothing to read.
  const [storage, ifaces, status] = isOnline
    ? await Promise.all([
        readNodePart("storage", n.node, warnings, () => client.listStorage(n.node)),
        readNodePart("network", n.node, warnings, () => client.listNodeNetwork(n.node)),
        readNodePart("status", n.node, warnings, () => client.getNodeStatus(n.node)),
      ])
    : [null, null, null];
  return {
    node: n.node,
    status: n.status,
    cpus: n.maxcpu ?? 0,
    cpu_load: isOnline ? (n.cpu ?? null) : null,
    mem_total_bytes: n.maxmem ?? 0,
    mem_used_bytes: isOnline ? (n.mem ?? null) : null,
    disk_total_bytes: n.maxdisk ?? 0,
    disk_used_bytes: isOnline ? (n.disk ?? null) : null,
    storage: await readStorageVolumes(client, n.node, buildLiveNodeStorage(storage ?? []), sharedRead, warnings),
    cpu_model: status?.cpuinfo?.model ?? null,
    cpu_sockets: status?.cpuinfo?.sockets ?? null,
    cpu_cores: status?.cpuinfo?.cores ?? null,
    ifaces: buildLiveNodeIfaces(ifaces ?? []),
  };
}

async function collectGuest(client: ProxmoxClient, g: ProxmoxGuest, warnings: string[]): Promise<LiveInventoryGuest> {
  let config: Record<string, unknown> = {};
  try {
    config = await client.getGuestConfig(g);
  } catch (e) {
    if (!isGuestLevelError(e)) throw e;
    warnings.push(`${g.type}/${g.vmid}: config not read (${(e as Error).message})`);
  }
  // Only a running guest can answer; a QEMU guest only with its agent enabled. No agent is not an error.
  let live: Array<{ mac?: string; ips: string[] }> | null = null;
  if (g.status === "running" && (g.type === "lxc" || hasAgentEnabled(config))) {
    try {
      const answer = await client.getGuestAddresses(g);
      live = answer.length > 0 ? answer : null;
    } catch (e) {
      if (!isGuestLevelError(e)) throw e;
      warnings.push(`${g.type}/${g.vmid}: live addresses not read (${(e as Error).message})`);
    }
  }
  return buildLiveGuest(g, config, live);
}

/** Reads the whole cluster: nodes (CPU, storages, NICs and bonds), every guest's config (NICs, disks) and live addresses. */
export async function readLiveInventory(client: ProxmoxClient): Promise<LiveInventoryData> {
  const warnings: string[] = [];
  const [nodes, guests] = await Promise.all([client.listNodes(), client.listGuests()]);
  const sharedRead = new Set<string>();
  const liveNodes = await mapWithConcurrency(
    [...nodes].sort((a, b) => a.node.localeCompare(b.node)),
    GUEST_CONCURRENCY,
    (n) => collectNode(client, n, warnings, sharedRead),
  );
  const liveGuests = await mapWithConcurrency(
    [...guests].sort((a, b) => a.vmid - b.vmid),
    GUEST_CONCURRENCY,
    (g) => collectGuest(client, g, warnings),
  );
  return { nodes: liveNodes.sort((a, b) => a.node.localeCompare(b.node)), guests: liveGuests, warnings };
}

/**
 * One collection, recorded as a snapshot: `running` while it reads, then `ok` with its data and
 * `collected_at`, or `failed` with the error. The last good snapshot is never overwritten.
 */
export async function collectInventory(db: Db, opts: { client: ProxmoxClient | undefined; trigger: InventoryTrigger }): Promise<InventorySnapshotRow> {
  // A collection whose process died mid-run would look "collecting…" forever: close it as failed.
  await db
    .update(inventorySnapshots)
    .set({ status: "failed", error: "abandoned: the collecting process stopped before it finished" })
    .where(and(eq(inventorySnapshots.status, "running"), lt(inventorySnapshots.startedAt, new Date(Date.now() - ABANDONED_AFTER_MS))));
  const [started] = await db.insert(inventorySnapshots).values({ trigger: opts.trigger }).returning();
  const id = started!.id;
  let update: Partial<InventorySnapshotRow>;
  if (!opts.client) {
    update = { status: "failed", error: "Proxmox is not configured (PROXMOX_URL, PROXMOX_TOKEN_ID, PROXMOX_TOKEN_SECRET)" };
  } else {
    try {
      const data = await readLiveInventory(opts.client);
      update = { status: "ok", data, collectedAt: new Date() };
    } catch (e) {
      update = { status: "failed", error: e instanceof Error ? e.message : String(e) };
    }
  }
  // The snapshot and the guests' address periods it opens or closes are one change.
  return db.transaction(async (tx) => {
    const [row] = await tx.update(inventorySnapshots).set(update).where(eq(inventorySnapshots.id, id)).returning();
    if (row!.status === "ok" && row!.data && row!.collectedAt) {
      await recordCollectionInTimeline(tx, { snapshotId: id, collectedAt: row!.collectedAt, data: row!.data });
      // Each node's capacity at this collection, for the capacity-over-time picture.
      const records = computeNodeCapacityRecords(row!.data);
      if (records.length) await tx.insert(inventoryNodeCapacity).values(records.map((r) => ({ ...r, snapshotId: id, collectedAt: row!.collectedAt! })));
    }
    return row!;
  });
}

/**
 * Capacity history for good snapshots collected before it was recorded (migration 0045 started it
 * empty; the snapshots kept for 90 days hold the raw data): each such snapshot's node records, from
 * the same computation a collection writes. One snapshot a transaction (each is megabytes of JSON),
 * at most `limit` a run; a snapshot already recorded is skipped, so running again adds nothing.
 */
export async function backfillNodeCapacity(db: Db, opts: { limit?: number } = {}): Promise<number> {
  const missing = await db.execute<{ id: number }>(sql`
    select s.id from inventory_snapshots s
    where s.status = 'ok' and s.collected_at is not null and s.data is not null
      and not exists (select 1 from inventory_node_capacity c where c.snapshot_id = s.id)
    order by s.collected_at desc limit ${opts.limit ?? 100}`);
  let done = 0;
  for (const { id } of missing) {
    await db.transaction(async (tx) => {
      const [snapshot] = await tx.select().from(inventorySnapshots).where(eq(inventorySnapshots.id, id));
      if (!snapshot?.data || !snapshot.collectedAt) return;
      const records = computeNodeCapacityRecords(snapshot.data);
      if (records.length === 0) return;
      await tx
        .insert(inventoryNodeCapacity)
        .values(records.map((r) => ({ ...r, snapshotId: id, collectedAt: snapshot.collectedAt! })))
        .onConflictDoNothing();
      done += 1;
    });
  }
  return done;
}

/** Keep 90 days of snapshots, and always the 10 newest good ones (a quiet cluster still has history). */
export async function pruneInventorySnapshots(db: DbOrTx, opts: { days?: number; keepGood?: number } = {}): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    delete from inventory_snapshots where started_at < now() - make_interval(days => ${opts.days ?? 90})
      and id not in (select id from inventory_snapshots where status = 'ok' order by id desc limit ${opts.keepGood ?? 10})
    returning id`);
  return rows.length;
}
