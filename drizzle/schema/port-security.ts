import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { switches } from "./switches";

/** Every valid event Tenantos posted, with what became of it. Events are hints; the loop reads facts. */
export const portSecurityEvents = pgTable(
  "port_security_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    action: text("action", { enum: ["ip_assigned", "ip_removed", "server_deleted", "server_provisioned"] }).notNull(),
    serverId: integer("server_id").notNull(),
    ip: text("ip"),
    /** action|server|ip: a delivery repeated within the window is recognised by it. */
    dedupeKey: text("dedupe_key").notNull(),
    status: text("status", { enum: ["received", "queued", "skipped", "done", "failed"] })
      .notNull()
      .default("received"),
    skipReason: text("skip_reason"),
    switchId: integer("switch_id"),
    interface: text("interface"),
    jobId: integer("job_id"),
    /** When the event's port was clean after a push (status became `done`); set by a trigger (migration observability). */
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    index("port_security_events_received_idx").on(t.receivedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The door's look-ups under load: the latest event for a server and IP, and whether a server
    // has events waiting (a partial index: only waiting rows).
    index("port_security_events_server_ip_idx").on(t.serverId, t.ip, t.id.desc().nullsFirst()),
    index("port_security_events_waiting_idx")
      .on(t.serverId)
      .where(sql`status = 'received'`),
  ],
);
export type PortSecurityEventRow = typeof portSecurityEvents.$inferSelect;

/**
 * Switch ports whose bindings come from the panel: which Tenantos server hangs on the port and
 * whether it is a dedicated server or a Proxmox node (whose uplink carries all its VMs).
 */
export const panelPorts = pgTable(
  "panel_ports",
  {
    switchId: integer("switch_id")
      .notNull()
      .references(() => switches.id, { onDelete: "cascade" }),
    interface: text("interface").notNull(),
    serverId: integer("server_id").notNull(),
    kind: text("kind", { enum: ["dedicated", "vm-node"] }).notNull(),
    proxmoxNode: text("proxmox_node"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.switchId, t.interface] }), index("panel_ports_server_idx").on(t.serverId)],
);
export type PanelPortRow = typeof panelPorts.$inferSelect;

/**
 * The names of every Tenantos server the console has read (GET /api/servers and /api/servers/{id}
 * document `servername` and `hostname`, example "server-001" / "hostname.com"), kept so the top
 * bar's search finds a server by the names people use. Written where the servers are read: the
 * port sync (the whole list) and each event's routing (the server asked about).
 */
export const tenantosServers = pgTable(
  "tenantos_servers",
  {
    id: integer("id").primaryKey(),
    servername: text("servername").notNull(),
    hostname: text("hostname").notNull(),
    /** `primaryip` when last read. */
    primaryIp: text("primary_ip"),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Both names in one trigram index, lower-cased: one index scan answers a name in either (two
  // indexes under an OR were costed above a scan of the table, which then case-folded every row).
  (t) => [index("tenantos_servers_names_trgm_idx").using("gin", sql`lower(${t.hostname} || ' ' || ${t.servername}) gin_trgm_ops`)],
);
export type TenantosServerRow = typeof tenantosServers.$inferSelect;

/**
 * Which Tenantos server is which Proxmox node: its uplink ports carry every VM on the node. Kept
 * explicitly, confirmed by an admin (suggested from hostnames), never inferred at push time: a
 * server whose hostname happens to match a node must not have its port filled with VMs.
 */
export const proxmoxNodeServers = pgTable(
  "proxmox_node_servers",
  {
    node: text("node").primaryKey(),
    tenantosServerId: integer("tenantos_server_id").notNull(),
    confirmedBy: text("confirmed_by").notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("proxmox_node_servers_server_idx").on(t.tenantosServerId)],
);
export type ProxmoxNodeServerRow = typeof proxmoxNodeServers.$inferSelect;

/**
 * Which Tenantos server a Proxmox guest is, kept once learned (its config addresses pointed at one
 * server and no other guest claimed them) or confirmed by an admin. Never re-derived from an address
 * per event: a VM whose primary address is removed in Tenantos stays the same server, and a clone
 * carrying its original's address never becomes it.
 */
export const proxmoxVmLinks = pgTable(
  "proxmox_vm_links",
  {
    vmid: integer("vmid").primaryKey(),
    tenantosServerId: integer("tenantos_server_id").notNull(),
    mac: text("mac"),
    how: text("how", { enum: ["learned", "confirmed"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("proxmox_vm_links_server_idx").on(t.tenantosServerId)],
);
export type ProxmoxVmLinkRow = typeof proxmoxVmLinks.$inferSelect;

/** One virtual MAC per additional IP; active until released. */
export const vmacs = pgTable(
  "vmacs",
  {
    ip: text("ip").primaryKey(),
    mac: text("mac").notNull(),
    serverId: integer("server_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp("released_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("vmacs_mac_idx").on(t.mac), index("vmacs_server_idx").on(t.serverId)],
);

/** Every VMAC creation and release, for the log on /it/virtual-macs. */
export const vmacEvents = pgTable(
  "vmac_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    kind: text("kind", { enum: ["created", "released"] }).notNull(),
    ip: text("ip").notNull(),
    mac: text("mac").notNull(),
    serverId: integer("server_id").notNull(),
    actor: text("actor").notNull(),
  },
  (t) => [index("vmac_events_at_idx").on(t.at.desc().nullsFirst(), t.id.desc().nullsFirst())],
);
export type VmacEventRow = typeof vmacEvents.$inferSelect;
export type VmacRow = typeof vmacs.$inferSelect;
