import { z } from "zod";

// What an admin may save as a panel connection. Secrets are write-only: a blank secret on an
// existing connection keeps the stored one.
const baseUrl = z
  .string()
  .trim()
  .max(500)
  .pipe(z.url({ protocol: /^https?$/, error: "Base URL: give an http(s) URL, e.g. https://panel.example" }));

const fingerprint = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, "TLS fingerprint: 32 hex bytes separated by colons (SHA-256)"));

export const tenantosConnectionSchema = z.object({
  kind: z.literal("tenantos"),
  baseUrl,
  secret: z.string().trim().max(500).optional(),
});

export const proxmoxConnectionSchema = z.object({
  kind: z.literal("proxmox"),
  baseUrl,
  tokenId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+![A-Za-z0-9._-]+$/, "Token ID: USER@REALM!TOKENID, e.g. sankofa@pve!inventory"),
  secret: z.string().trim().max(500).optional(),
  tlsFingerprint: z.union([z.literal(""), fingerprint]).optional(),
});

/** The UDM's console: an Integration API key (tokenId blank), or a local account (tokenId = its username, secret = its password). */
export const unifiConnectionSchema = z.object({
  kind: z.literal("unifi"),
  baseUrl,
  tokenId: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^\s]*$/, "Local account: a username without spaces, or blank to use an API key")
    .optional(),
  secret: z.string().trim().max(500).optional(),
  tlsFingerprint: z.union([z.literal(""), fingerprint]).optional(),
});

/** Nginx Proxy Manager or NPMplus: the account's email (tokenId) and password (secret); NPMplus is HTTPS: pin its certificate. */
export const npmConnectionSchema = z.object({
  kind: z.literal("npm"),
  baseUrl,
  tokenId: z
    .string()
    .trim()
    .pipe(z.email({ error: "Account: the NPM account's email, e.g. sankofa@example.org" })),
  secret: z.string().trim().max(500).optional(),
  tlsFingerprint: z.union([z.literal(""), fingerprint]).optional(),
});

export const panelConnectionSchema = z.discriminatedUnion("kind", [
  tenantosConnectionSchema,
  proxmoxConnectionSchema,
  unifiConnectionSchema,
  npmConnectionSchema,
]);
export const PANEL_CONNECTION_KINDS = ["tenantos", "proxmox", "unifi", "npm"] as const;
export type PanelConnectionInput = z.infer<typeof panelConnectionSchema>;
export type PanelConnectionKind = PanelConnectionInput["kind"];
