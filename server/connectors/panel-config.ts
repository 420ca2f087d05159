import type { PanelDeps } from "@/server/services/panel-facts";
import { createProxmoxClient } from "./proxmox/client";
import { createTenantosClient } from "./tenantos/client";

export interface PanelConfig {
  tenantos?: { baseUrl: string; apiKey: string };
  proxmox?: { baseUrl: string; tokenId: string; tokenSecret: string; fingerprint256?: string };
  untaggedVlanId: number;
}

/** The panel connectors from a resolved configuration; undefined when Tenantos is not configured. */
export function createPanelDeps(config: PanelConfig): PanelDeps | undefined {
  if (!config.tenantos) return undefined;
  return {
    tenantos: createTenantosClient(config.tenantos),
    proxmox: config.proxmox ? createProxmoxClient(config.proxmox) : undefined,
    untaggedVlanId: config.untaggedVlanId,
  };
}
