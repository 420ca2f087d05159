import type { Env } from "@/server/env";
import type { PanelDeps } from "@/server/services/panel-facts";
import { createProxmoxClient } from "./proxmox/client";
import { createTenantosClient } from "./tenantos/client";

/** The panel connectors from the environment; undefined when Tenantos is not configured. */
export function createPanelDeps(env: Env): PanelDeps | undefined {
  if (!env.TENANTOS_URL || !env.TENANTOS_API_KEY) return undefined;
  return {
    tenantos: createTenantosClient({ baseUrl: env.TENANTOS_URL, apiKey: env.TENANTOS_API_KEY }),
    proxmox:
      env.PROXMOX_URL && env.PROXMOX_TOKEN_ID && env.PROXMOX_TOKEN_SECRET
        ? createProxmoxClient({ baseUrl: env.PROXMOX_URL, tokenId: env.PROXMOX_TOKEN_ID, tokenSecret: env.PROXMOX_TOKEN_SECRET, fingerprint256: env.PROXMOX_TLS_FINGERPRINT })
        : undefined,
    untaggedVlanId: env.UNTAGGED_VLAN_ID,
  };
}
