import { bigserial, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Every valid event Tenantos posted, with what became of it. Events are hints; the loop reads facts. */
export const portSecurityEvents = pgTable(
  "port_security_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    action: text("action", { enum: ["ip_assigned", "ip_removed", "server_deleted"] }).notNull(),
    serverId: integer("server_id").notNull(),
    ip: text("ip"),
    /** action|server|ip: a delivery repeated within the window is recognised by it. */
    dedupeKey: text("dedupe_key").notNull(),
    status: text("status", { enum: ["received", "queued", "skipped", "done", "failed"] }).notNull().default("received"),
    skipReason: text("skip_reason"),
    switchId: integer("switch_id"),
    interface: text("interface"),
    jobId: integer("job_id"),
  },
  (t) => [index("port_security_events_received_idx").on(t.receivedAt.desc()), index("port_security_events_dedupe_idx").on(t.dedupeKey, t.receivedAt.desc())],
);
export type PortSecurityEventRow = typeof portSecurityEvents.$inferSelect;
