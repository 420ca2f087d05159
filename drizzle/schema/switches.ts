import type { SwitchLinkFacts } from "../../lib/junos/link-facts";
import { bytea } from "./columns";
import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const switches = pgTable(
  "switches",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    host: text("host").notNull(),
    port: integer("port").notNull().default(22),
    username: text("username").notNull(),
    /** Sealed with the secrets key (server/crypto); never sent to the browser. */
    passwordSealed: bytea("password_sealed"),
    privateKeySealed: bytea("private_key_sealed"),
    /** null until detected on first contact. */
    dialect: text("dialect", { enum: ["non-els", "els"] }),
    dhcpSecurityGroup: text("dhcp_security_group").notNull().default("sankofa"),
    /** The approved (or, on first contact, recorded) SHA256 fingerprint. */
    hostKeyFingerprint: text("host_key_fingerprint"),
    hostKeyState: text("host_key_state", { enum: ["unknown", "unverified", "approved", "mismatch"] })
      .notNull()
      .default("unknown"),
    /** What the switch presented when it did not match: shown next to the alert. */
    hostKeyPresented: text("host_key_presented"),
    /** The same switch in Tenantos (a network device id): events about its ports find it by this. */
    tenantosDeviceId: integer("tenantos_device_id"),
    /** Off: nothing is pushed to this switch (events and Apply All record a skip); backups and drift still run. */
    isAutomationEnabled: boolean("automation_enabled").notNull().default(true),
    /**
     * The switch's own VLAN names by id (`set vlans NAME vlan-id N`) and each port's access VLAN
     * ids, as of its latest backup: bindings name VLANs as the switch does. Not secret, so kept
     * beside the sealed backups; null until a first backup.
     */
    vlanNames: jsonb("vlan_names").$type<Record<string, string>>(),
    portVlanIds: jsonb("port_vlan_ids").$type<Record<string, number[]>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("switches_name_idx").on(t.name), uniqueIndex("switches_tenantos_device_idx").on(t.tenantosDeviceId)],
);
export type SwitchRow = typeof switches.$inferSelect;

/** The bindings a port should hold; the reconcile job makes the switch match. */
export const switchPortBindings = pgTable(
  "switch_port_bindings",
  {
    switchId: integer("switch_id")
      .notNull()
      .references(() => switches.id, { onDelete: "cascade" }),
    interface: text("interface").notNull(),
    bindings: jsonb("bindings").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.switchId, t.interface] })],
);
export type SwitchPortBindingsRow = typeof switchPortBindings.$inferSelect;

/** Ports to reconcile. Events only mark ports dirty; a run reads the truth at push time. */
export const switchDirtyPorts = pgTable(
  "switch_dirty_ports",
  {
    switchId: integer("switch_id")
      .notNull()
      .references(() => switches.id, { onDelete: "cascade" }),
    interface: text("interface").notNull(),
    markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.switchId, t.interface] })],
);

/** Backup texts by content hash: identical configurations are stored once. */
export const switchBackupContents = pgTable("switch_backup_contents", {
  sha256: text("sha256").primaryKey(),
  sealed: bytea("sealed").notNull(),
  sizeBytes: integer("size_bytes").notNull(),
});

export const switchBackups = pgTable(
  "switch_backups",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    switchId: integer("switch_id")
      .notNull()
      .references(() => switches.id, { onDelete: "cascade" }),
    takenAt: timestamp("taken_at", { withTimezone: true }).notNull().defaultNow(),
    reason: text("reason", { enum: ["pre-change", "post-change", "scheduled", "on-demand"] }).notNull(),
    changeId: text("change_id"),
    sha256: text("sha256")
      .notNull()
      .references(() => switchBackupContents.sha256),
    /** A scheduled backup that differs from the result of our last change: someone changed the switch by hand. */
    isManualChange: boolean("is_manual_change").notNull().default(false),
    /**
     * LLDP neighbours and ae membership read on the same session after the configuration (scheduled
     * and on-demand backups); null when not read (pre/post-change backups). A failed read is kept as
     * its error inside, and the backup stands.
     */
    linkFacts: jsonb("link_facts").$type<SwitchLinkFacts>(),
  },
  (t) => [index("switch_backups_switch_taken_idx").on(t.switchId, t.takenAt.desc().nullsFirst())],
);
export type SwitchBackupRow = typeof switchBackups.$inferSelect;

export const switchPushes = pgTable(
  "switch_pushes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    changeId: text("change_id").notNull(),
    switchId: integer("switch_id")
      .notNull()
      .references(() => switches.id, { onDelete: "cascade" }),
    trigger: text("trigger").notNull(),
    /**
     * How the push ended. `awaiting-confirm`: the session was lost after `commit confirmed`, so the
     * switch holds the change only until its timer; the next run turns it into
     * `confirmed-after-reconnect` or `rolled-back-by-switch`. `deferred`: a confirmed commit was
     * pending on the switch, and nothing is stacked on one.
     */
    status: text("status", {
      enum: ["running", "committed", "unchanged", "failed", "awaiting-confirm", "confirmed-after-reconnect", "rolled-back-by-switch", "deferred"],
    }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    ports: text("ports")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    plan: jsonb("plan"),
    compare: text("compare"),
    transcript: jsonb("transcript"),
    backupId: integer("backup_id"),
    /** Entries the rules left out, with why (no VMAC, VLAN not allowed, duplicate IP…). */
    skipped: jsonb("skipped"),
    /** What the plan bound but flagged (a VM Tenantos does not know, an agent-only address), with why. */
    flags: jsonb("flags"),
    errorKind: text("error_kind"),
    errorMessage: text("error_message"),
    switchText: text("switch_text"),
    /** When the switch rolls a pending confirmed commit back unless it is confirmed (ours, or the one we wait for). */
    confirmDeadline: timestamp("confirm_deadline", { withTimezone: true }),
    /** How the run resolved an earlier push's confirmed commit, in words. */
    note: text("note"),
  },
  (t) => [uniqueIndex("switch_pushes_change_idx").on(t.changeId), index("switch_pushes_switch_started_idx").on(t.switchId, t.startedAt.desc().nullsFirst())],
);
export type SwitchPushRow = typeof switchPushes.$inferSelect;

/** One "re-push every binding on every switch" run; progress is read from the pushes since it began. */
export const applyAllRuns = pgTable("apply_all_runs", {
  id: serial("id").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  startedBy: text("started_by").notNull(),
  switchIds: integer("switch_ids").array().notNull(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
export type ApplyAllRunRow = typeof applyAllRuns.$inferSelect;

/** The last read-only comparison of a switch's bindings with the desired ones. */
export const switchDriftReports = pgTable("switch_drift_reports", {
  switchId: integer("switch_id")
    .primaryKey()
    .references(() => switches.id, { onDelete: "cascade" }),
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
  /** null when the check itself failed (see error). */
  ports: jsonb("ports"),
  error: text("error"),
});
export type SwitchDriftReportRow = typeof switchDriftReports.$inferSelect;
