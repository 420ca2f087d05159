import { sql } from "drizzle-orm";
import { bytea } from "./columns";
import { bigint, pgSequence, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Credential versions: one sequence, so a connection deleted and saved again never reuses a version a process cached. */
export const panelConnectionVersionSeq = pgSequence("panel_connection_version_seq");

/**
 * How to reach the billing panel (Tenantos), the hypervisors (Proxmox) and the edge (UniFi, NPM), as saved in the
 * console. The secret is sealed with SECRETS_KEY and never read back to a browser.
 */
export const panelConnections = pgTable("panel_connections", {
  kind: text("kind", { enum: ["tenantos", "proxmox", "unifi", "npm"] }).primaryKey(),
  baseUrl: text("base_url").notNull(),
  /** Proxmox API token id (USER@REALM!TOKENID), UniFi local account (null: API key), NPM account email; null for Tenantos. */
  tokenId: text("token_id"),
  secretSealed: bytea("secret_sealed").notNull(),
  /** The pinned certificate SHA-256 fingerprint, for self-signed Proxmox clusters, UDM consoles and NPM admin ports. */
  tlsFingerprint: text("tls_fingerprint"),
  /**
   * Bumped by every save: each process (web and worker) keys its kept sessions and tokens by it and
   * drops one made for an older version before its next call.
   */
  version: bigint("version", { mode: "number" })
    .notNull()
    .default(sql`nextval('panel_connection_version_seq')`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});
export type PanelConnectionRow = typeof panelConnections.$inferSelect;
