import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * A destructive change an admin asked for, waiting for a second admin: removing bindings from a
 * switch port by hand, releasing a VMAC, a settings change that weakens safety. Applied (through the normal service) only when approved.
 */
export const pendingChanges = pgTable(
  "pending_changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", {
      enum: ["port_bindings", "vmac_release", "settings", "provisioning", "proxmox_node", "switch_delete", "ipam_address", "panel_port"],
    }).notNull(),
    /** Only the change asked for (never a whole form): what it does is recomputed when it is decided. */
    payload: jsonb("payload").notNull(),
    summary: text("summary").notNull(),
    requestedBy: text("requested_by").notNull(),
    /** Who asked, for separation of duties: the identity provider and its subject, never the email. */
    requestedByIssuer: text("requested_by_issuer"),
    requestedBySubject: text("requested_by_subject"),
    /** The digest of the state the change was asked against (see lib/approvals/changes). */
    stateDigest: text("state_digest"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    ticketId: text("ticket_id"),
    status: text("status", { enum: ["pending", "applied", "rejected", "failed", "expired"] })
      .notNull()
      .default("pending"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    error: text("error"),
  },
  (t) => [index("pending_changes_status_idx").on(t.status, t.requestedAt.desc().nullsFirst())],
);
export type PendingChangeRow = typeof pendingChanges.$inferSelect;
