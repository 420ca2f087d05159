import { sql } from "drizzle-orm";
import { bigint, bigserial, doublePrecision, index, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ParsedConf } from "../../lib/inventory/ip-addresses-conf";
import type { LiveInventoryData } from "../../lib/inventory/snapshot";
import type { ParsedVmidTable } from "../../lib/inventory/vmid-table";
import { collectionRunColumns } from "./columns";

/**
 * One collection of the live inventory from Proxmox. `collected_at` stays null until the
 * collection finished; a failed one keeps its `error` and no data, so the last good snapshot
 * is what the console shows (as stale).
 */
export const inventorySnapshots = pgTable(
  "inventory_snapshots",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ...collectionRunColumns(),
    trigger: text("trigger", { enum: ["schedule", "manual", "api", "cli"] }).notNull(),
    data: jsonb("data").$type<LiveInventoryData>(),
  },
  (t) => [index("inventory_snapshots_status_idx").on(t.status, t.startedAt.desc().nullsFirst())],
);
export type InventorySnapshotRow = typeof inventorySnapshots.$inferSelect;

/**
 * Each node's capacity as one good collection saw it: CPU, RAM and local guest storage, each as the
 * node's total, what its guests are given, and what is really used (null: the node was not online).
 * Written with the snapshot, from the figures the hosts page computes (lib/inventory/host-capacity),
 * and kept when old snapshots are pruned (a few numbers a node per collection), so capacity can be
 * drawn over time. Collections made before this table existed have no rows: nothing is backfilled.
 */
export const inventoryNodeCapacity = pgTable(
  "inventory_node_capacity",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    snapshotId: bigint("snapshot_id", { mode: "number" }).references(() => inventorySnapshots.id, { onDelete: "set null" }),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
    node: text("node").notNull(),
    cpuTotal: doublePrecision("cpu_total").notNull(),
    cpuAllocated: doublePrecision("cpu_allocated").notNull(),
    /** Busy CPUs (load × CPUs). */
    cpuUsed: doublePrecision("cpu_used"),
    memTotalBytes: bigint("mem_total_bytes", { mode: "number" }).notNull(),
    memAllocatedBytes: bigint("mem_allocated_bytes", { mode: "number" }).notNull(),
    memUsedBytes: bigint("mem_used_bytes", { mode: "number" }),
    storageTotalBytes: bigint("storage_total_bytes", { mode: "number" }).notNull(),
    storageAllocatedBytes: bigint("storage_allocated_bytes", { mode: "number" }).notNull(),
    storageUsedBytes: bigint("storage_used_bytes", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("inventory_node_capacity_snapshot_node_idx").on(t.snapshotId, t.node),
    index("inventory_node_capacity_node_at_idx").on(t.node, t.collectedAt),
  ],
);
export type InventoryNodeCapacityRow = typeof inventoryNodeCapacity.$inferSelect;

/** The declared inventory last imported for drift: `ip-addresses.conf` and the VMID doc, as text. */
export const inventoryDeclared = pgTable("inventory_declared", {
  kind: text("kind", { enum: ["ip-addresses-conf", "vmid-doc"] }).primaryKey(),
  content: text("content").notNull(),
  fileName: text("file_name"),
  importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  importedBy: text("imported_by").notNull(),
  /** The file as read at import: drift reads this, never re-parses the text (null: imported before 0019). */
  parsed: jsonb("parsed").$type<ParsedConf | ParsedVmidTable>(),
});
export type InventoryDeclaredRow = typeof inventoryDeclared.$inferSelect;

/**
 * Keys for scripts reading `/api/v1/*`. Only the SHA-256 of the secret is stored; the prefix
 * (`skit_ab12cd34`) identifies a key in lists and logs without revealing it.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretSha256: text("secret_sha256").notNull(),
    scopes: text("scopes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_keys_secret_idx").on(t.secretSha256), uniqueIndex("api_keys_prefix_idx").on(t.prefix)],
);
export type ApiKeyRow = typeof apiKeys.$inferSelect;
