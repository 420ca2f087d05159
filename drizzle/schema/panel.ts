import { bytea } from "./columns";
import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

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
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});
export type PanelConnectionRow = typeof panelConnections.$inferSelect;
