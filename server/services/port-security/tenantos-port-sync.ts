import { mapWithConcurrency } from "@/lib/async";
import type { Db } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { findServerPorts, rememberServerPorts } from "./tenantos-routing";
import { rememberTenantosServers } from "./tenantos-servers";

const CONCURRENCY = 8;

/**
 * Learns every Tenantos server's port (dedicated servers and Proxmox nodes alike), so Apply All
 * covers servers that never sent an event. Servers that cannot be automated are returned with
 * the reason; nothing is pushed here. Every server's names are kept for search.
 */
export async function syncPanelPorts(db: Db, panel: OutsideSystems): Promise<{ known: number; skipped: Array<{ serverId: number; reason: string }> }> {
  const servers = await panel.tenantos.listServers();
  // Every server's names, automated or not: search finds a server by its hostname.
  await rememberTenantosServers(db, servers);
  const skipped: Array<{ serverId: number; reason: string }> = [];
  let known = 0;
  await mapWithConcurrency(servers, CONCURRENCY, async (server) => {
    try {
      const found = await findServerPorts(db, panel, server.id);
      if (!found.isFound) {
        skipped.push({ serverId: server.id, reason: found.reason });
        return;
      }
      await rememberServerPorts(db, found);
      known += found.ports.length;
    } catch (e) {
      skipped.push({ serverId: server.id, reason: (e as Error).message });
    }
  });
  return { known, skipped: skipped.sort((a, b) => a.serverId - b.serverId) };
}
