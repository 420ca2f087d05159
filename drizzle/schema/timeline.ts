import { sql } from "drizzle-orm";
import { bigserial, bigint, check, customType, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

const inet = customType<{ data: string; driverData: string }>({ dataType: () => "inet" });

export const TIMELINE_KINDS = ["tenantos_assignment", "switch_binding", "vmac", "guest", "ipam"] as const;

/**
 * Who held an address when: one row per period during which an address was assigned in Tenantos,
 * bound on a switch port, a VMAC, held by a Proxmox guest, or owned in IPAM. Written in the
 * transaction of the fact that opens or closes it (events, vmac_events and ipam_addresses by
 * trigger, pushes and collections by the services), so the history never disagrees with its
 * evidence. `valid_to` null: the period is open (current).
 */
export const addressTimeline = pgTable(
  "address_timeline",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: TIMELINE_KINDS }).notNull(),
    address: inet("address").notNull(),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull(),
    validTo: timestamp("valid_to", { withTimezone: true }),
    /** What tells two periods of one kind on one address apart while both are open (port and MAC, VMID…). */
    holderKey: text("holder_key").notNull().default(""),
    tenantosServerId: integer("tenantos_server_id"),
    switchId: integer("switch_id"),
    switchName: text("switch_name"),
    interface: text("interface"),
    /** Canonical `aa:bb:cc:dd:ee:ff`. */
    mac: text("mac"),
    vlan: text("vlan"),
    vmid: integer("vmid"),
    node: text("node"),
    /** The guest's name, the IPAM hostname. */
    hostname: text("hostname"),
    /** IPAM: status and owner team. */
    status: text("status"),
    owner: text("owner"),
    evidenceType: text("evidence_type").notNull(),
    evidenceId: text("evidence_id").notNull(),
    endEvidenceType: text("end_evidence_type"),
    endEvidenceId: text("end_evidence_id"),
    /** Guests: the last collection that saw the address (the period ends at the first that did not). */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  },
  (t) => [
    index("address_timeline_address_idx").on(t.address, t.validFrom),
    uniqueIndex("address_timeline_open_idx")
      .on(t.kind, t.address, t.holderKey)
      .where(sql`valid_to is null`),
    index("address_timeline_mac_idx")
      .on(sql`${t.mac} text_pattern_ops`)
      .where(sql`mac is not null`),
    // text_pattern_ops: search asks for an interface by its beginning (`ge-0/0/4%`), which a plain
    // btree under a non-C collation cannot answer from the index; equality still can.
    index("address_timeline_port_open_idx")
      .on(t.switchId, sql`${t.interface} text_pattern_ops`)
      .where(sql`valid_to is null and kind = 'switch_binding'`),
    index("address_timeline_server_idx")
      .on(t.tenantosServerId)
      .where(sql`tenantos_server_id is not null`),
    index("address_timeline_vmid_idx")
      .on(t.vmid)
      .where(sql`vmid is not null`),
    // Search looks up guests by name among the open guest periods only: IPAM's periods carry
    // hostnames too (10× as many), which made every guest look-up walk theirs.
    index("address_timeline_guest_name_trgm_idx")
      .using("gin", sql`${t.hostname} gin_trgm_ops`)
      .where(sql`kind = 'guest' and valid_to is null and hostname is not null`),
    index("address_timeline_closed_idx")
      .on(t.validTo)
      .where(sql`valid_to is not null`),
    check("address_timeline_order", sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
    check("address_timeline_host", sql`masklen(${t.address}) = case when family(${t.address}) = 4 then 32 else 128 end`),
  ],
);
export type AddressTimelineRow = typeof addressTimeline.$inferSelect;

/**
 * Every good collection that can open or close a guest period, kept beyond the snapshots' own
 * pruning: the gaps of the record (no collection for longer than a stale snapshot's age) are
 * computed from them.
 */
export const addressTimelineCollections = pgTable(
  "address_timeline_collections",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    source: text("source", { enum: ["proxmox"] }).notNull(),
    snapshotId: bigint("snapshot_id", { mode: "number" }).notNull(),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("address_timeline_collections_at_idx").on(t.source, t.collectedAt), uniqueIndex("address_timeline_collections_snapshot_idx").on(t.snapshotId)],
);

/**
 * Since when the record runs (one row): before it, and before what pruning removed, nothing is known
 * and the history says so.
 */
export const addressTimelineCoverage = pgTable(
  "address_timeline_coverage",
  {
    id: integer("id").primaryKey().default(1),
    recordingSince: timestamp("recording_since", { withTimezone: true }).notNull().defaultNow(),
    prunedBefore: timestamp("pruned_before", { withTimezone: true }),
    backfilledAt: timestamp("backfilled_at", { withTimezone: true }),
  },
  (t) => [check("address_timeline_coverage_one", sql`${t.id} = 1`)],
);
