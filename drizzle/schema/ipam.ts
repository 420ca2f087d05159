import { sql } from "drizzle-orm";
import { bigserial, check, customType, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

// Postgres's own address types: containment (<<=), ordering and masks are done by the database.
const inet = customType<{ data: string; driverData: string }>({ dataType: () => "inet" });
const cidr = customType<{ data: string; driverData: string }>({ dataType: () => "cidr" });

export const ipamVlans = pgTable(
  "ipam_vlans",
  {
    id: serial("id").primaryKey(),
    vid: integer("vid").notNull(),
    name: text("name").notNull(),
    environment: text("environment"),
    status: text("status", { enum: ["current", "planned"] })
      .notNull()
      .default("current"),
    description: text("description"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("ipam_vlans_vid_idx").on(t.vid), check("ipam_vlans_vid_range", sql`${t.vid} between 1 and 4094`)],
);
export type IpamVlanRow = typeof ipamVlans.$inferSelect;

export const ipamPrefixes = pgTable(
  "ipam_prefixes",
  {
    id: serial("id").primaryKey(),
    prefix: cidr("prefix").notNull(),
    gateway: inet("gateway"),
    vlanId: integer("vlan_id").references(() => ipamVlans.id, { onDelete: "set null" }),
    environment: text("environment"),
    routingNotes: text("routing_notes"),
    description: text("description"),
    /**
     * Where "next free" starts looking: every host of the prefix below it is taken (by any row
     * inside the range, whichever prefix counts it). Rows are never deleted, so it stays true.
     */
    nextFreeHint: inet("next_free_hint"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("ipam_prefixes_prefix_idx").on(t.prefix), index("ipam_prefixes_gist_idx").using("gist", sql`${t.prefix} inet_ops`)],
);
export type IpamPrefixRow = typeof ipamPrefixes.$inferSelect;

export const ipamAddresses = pgTable(
  "ipam_addresses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** A host address (no mask): unique, the database enforces it. */
    address: inet("address").notNull(),
    prefixId: integer("prefix_id").references(() => ipamPrefixes.id, { onDelete: "set null" }),
    hostname: text("hostname"),
    vmid: integer("vmid"),
    mac: text("mac"),
    vlanVid: integer("vlan_vid"),
    ownerTeam: text("owner_team"),
    service: text("service"),
    /** Where it came from: an `ip-addresses.conf` key, `csv:<file>`, `console`. */
    sourceRef: text("source_ref"),
    status: text("status", { enum: ["planned", "active", "deprecated", "released"] })
      .notNull()
      .default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ipam_addresses_address_idx").on(t.address),
    check("ipam_addresses_host", sql`masklen(${t.address}) = case when family(${t.address}) = 4 then 32 else 128 end`),
    index("ipam_addresses_prefix_address_idx").on(t.prefixId, t.address),
    index("ipam_addresses_hostname_idx").on(t.hostname),
    // The list's hostname order (listAddresses' keyset): without it every page sorts all rows (bench:pages).
    index("ipam_addresses_hostname_order_idx").on(sql`coalesce(${t.hostname}, '')`, t.id),
    // Prefix utilization (IPAM, provisioning) and the VLAN plan count the rows in use per prefix on
    // every load: index-only counts, not a scan of every address (bench:pages, 100k addresses).
    index("ipam_addresses_used_prefix_idx")
      .on(t.prefixId, t.status)
      .where(sql`status <> 'released'`),
  ],
);
export type IpamAddressRow = typeof ipamAddresses.$inferSelect;

/** Each address's history: who, when, what changed, and from which event or job. */
export const ipamAddressEvents = pgTable(
  "ipam_address_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    address: inet("address").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    kind: text("kind", { enum: ["created", "updated", "released", "imported", "claimed"] }).notNull(),
    detail: jsonb("detail"),
  },
  (t) => [index("ipam_address_events_address_idx").on(t.address, t.at.desc().nullsFirst())],
);
export type IpamAddressEventRow = typeof ipamAddressEvents.$inferSelect;

/**
 * A host's planned VLAN move: the target address and VLAN, and, for a host whose role changes
 * (the ML110 going from Proxmox host to WAN aggregator), the cutover. `status` is what an admin
 * said; "ready" and "blocked" are computed from the checks when read (lib/vlans/moves.ts), never
 * stored, so they follow the live inventory. One move per host and per target address.
 */
export const ipamVlanMoves = pgTable(
  "ipam_vlan_moves",
  {
    id: serial("id").primaryKey(),
    hostname: text("hostname").notNull(),
    vmid: integer("vmid"),
    targetAddress: inet("target_address").notNull(),
    /** By VID, as the plan speaks; a VLAN with moves onto it cannot be deleted (the service checks). */
    targetVid: integer("target_vid").notNull(),
    fromRole: text("from_role"),
    toRole: text("to_role"),
    /** An admin's override of the wave rule (1..4); null follows the rule. */
    wave: integer("wave"),
    status: text("status", { enum: ["planned", "in_progress", "done"] })
      .notNull()
      .default("planned"),
    note: text("note"),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }),
    statusChangedBy: text("status_changed_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ipam_vlan_moves_hostname_idx").on(t.hostname),
    uniqueIndex("ipam_vlan_moves_target_idx").on(t.targetAddress),
    index("ipam_vlan_moves_vid_idx").on(t.targetVid),
    check("ipam_vlan_moves_wave", sql`${t.wave} is null or ${t.wave} between 1 and 4`),
    check("ipam_vlan_moves_target_host", sql`masklen(${t.targetAddress}) = case when family(${t.targetAddress}) = 4 then 32 else 128 end`),
  ],
);
export type IpamVlanMoveRow = typeof ipamVlanMoves.$inferSelect;
