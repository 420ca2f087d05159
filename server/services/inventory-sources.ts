import { createPanelDeps } from "@/server/connectors/panel-config";
import { createProxmoxClient, type ProxmoxClient } from "@/server/connectors/proxmox/client";
import type { DbOrTx } from "@/server/db/client";
import type { Env } from "@/server/env";

/**
 * Where the inventory collector gets its Proxmox client. One small seam: the panel config will
 * also read connections saved in the database, and only this function needs to follow it.
 * Proxmox alone (without Tenantos) is enough for the inventory.
 */
export async function resolveProxmoxClient(_db: DbOrTx, env: Env): Promise<ProxmoxClient | undefined> {
  return createPanelDeps(env)?.proxmox ?? createProxmoxClientFromEnv(env);
}

/** PROXMOX_URL + token from the environment alone (the CLI, which may run without a database). */
export function createProxmoxClientFromEnv(env: Env): ProxmoxClient | undefined {
  if (!env.PROXMOX_URL || !env.PROXMOX_TOKEN_ID || !env.PROXMOX_TOKEN_SECRET) return undefined;
  return createProxmoxClient({ baseUrl: env.PROXMOX_URL, tokenId: env.PROXMOX_TOKEN_ID, tokenSecret: env.PROXMOX_TOKEN_SECRET, fingerprint256: env.PROXMOX_TLS_FINGERPRINT });
}
