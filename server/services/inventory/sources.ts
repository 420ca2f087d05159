import { createProxmoxClient, type ProxmoxClient } from "@/server/connectors/proxmox/client";
import type { DbOrTx } from "@/server/db/client";
import type { Env } from "@/server/env";
import { loadPanelConfig } from "../port-security/connections";

/**
 * The Proxmox the collector reads: the connection saved in the console, else the environment's
 * (Proxmox alone is enough here; Tenantos is not needed for the inventory).
 */
export async function resolveProxmoxClient(db: DbOrTx, env: Env, secretsKey: Buffer): Promise<ProxmoxClient | undefined> {
  const { proxmox } = await loadPanelConfig(db, env, secretsKey);
  return proxmox ? createProxmoxClient(proxmox) : undefined;
}

/** PROXMOX_URL + token from the environment alone (the CLI, which may run without a database). */
export function createProxmoxClientFromEnv(env: Env): ProxmoxClient | undefined {
  if (!env.PROXMOX_URL || !env.PROXMOX_TOKEN_ID || !env.PROXMOX_TOKEN_SECRET) return undefined;
  return createProxmoxClient({
    baseUrl: env.PROXMOX_URL,
    tokenId: env.PROXMOX_TOKEN_ID,
    tokenSecret: env.PROXMOX_TOKEN_SECRET,
    fingerprint256: env.PROXMOX_TLS_FINGERPRINT,
  });
}
