import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { EdgeSnapshotDataBySource } from "../../lib/edge/data";
import { collectionRunColumns } from "./columns";

/**
 * One collection from an edge system (UniFi, NPM, Proxmox node networks). Like the inventory's
 * snapshots: `collected_at` stays null until it finished; a failed one keeps its `error` and no
 * data, so the last good one is what the console shows, marked stale.
 */
export const edgeSnapshots = pgTable(
  "edge_snapshots",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    source: text("source", { enum: ["unifi", "npm", "proxmox-network"] }).notNull(),
    ...collectionRunColumns(),
    trigger: text("trigger", { enum: ["schedule", "manual"] }).notNull(),
    data: jsonb("data").$type<EdgeSnapshotDataBySource[keyof EdgeSnapshotDataBySource]>(),
  },
  (t) => [index("edge_snapshots_source_idx").on(t.source, t.status, t.startedAt.desc().nullsFirst())],
);
export type EdgeSnapshotRow = typeof edgeSnapshots.$inferSelect;

/**
 * The physical port map as people keep it: a switch port, the patch-panel position it is wired to,
 * and the host NIC at the far end. Typed values are never overwritten by collected ones; a
 * disagreement is shown as a finding.
 */
export const portMapEntries = pgTable(
  "port_map_entries",
  {
    id: serial("id").primaryKey(),
    /** The switch's name as people say it (our Juniper's name, the UniFi device's name, or typed). */
    switchName: text("switch_name").notNull(),
    switchKind: text("switch_kind", { enum: ["juniper", "unifi", "other"] }).notNull(),
    port: text("port").notNull(),
    panel: text("panel"),
    panelPosition: text("panel_position"),
    farHost: text("far_host"),
    farNic: text("far_nic"),
    farMac: text("far_mac"),
    /** The bond/LACP group the port is a member of (ae0, a UniFi LAG, the host's bond0). */
    bond: text("bond"),
    vlanMode: text("vlan_mode", { enum: ["access", "trunk"] }),
    nativeVlan: integer("native_vlan"),
    taggedVlans: integer("tagged_vlans")
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    speedMbps: integer("speed_mbps"),
    notes: text("notes"),
    /** Typed by a person, or a proposal an admin confirmed (which source proposed it). */
    origin: text("origin", { enum: ["typed", "unifi-lldp", "junos-lldp", "unifi-clients"] })
      .notNull()
      .default("typed"),
    /** When the confirmed proposal's evidence was collected; null for a typed row. */
    seenAt: timestamp("seen_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [uniqueIndex("port_map_entries_port_idx").on(t.switchName, t.port)],
);
export type PortMapEntryRow = typeof portMapEntries.$inferSelect;
