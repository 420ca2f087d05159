import { createProxmoxClient, type ProxmoxClient } from "./proxmox/client";
import { createTenantosClient, type TenantosClient } from "./tenantos/client";

/** The outside systems port security reads its facts from, as configured; tests hand in clients pointed at the lab. */
export interface OutsideSystems {
  tenantos: TenantosClient;
  proxmox?: ProxmoxClient;
  /** The VLAN untagged VM traffic is on (today's flat VLAN 11). */
  untaggedVlanId: number;
}

export interface OutsideSystemsConfig {
  tenantos?: { baseUrl: string; apiKey: string };
  proxmox?: { baseUrl: string; tokenId: string; tokenSecret: string; fingerprint256?: string };
  untaggedVlanId: number;
}

/** The panel connectors from a resolved configuration; undefined when Tenantos is not configured. */
export function createOutsideSystems(config: OutsideSystemsConfig): OutsideSystems | undefined {
  if (!config.tenantos) return undefined;
  return {
    tenantos: createTenantosClient(config.tenantos),
    proxmox: config.proxmox ? createProxmoxClient(config.proxmox) : undefined,
    untaggedVlanId: config.untaggedVlanId,
  };
}
