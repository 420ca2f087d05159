import type { Db } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { findServerPorts, rememberServerPorts } from "./tenantos-routing";

const CONCURRENCY = 8;

/**
 * Learns every Tenantos server's port (dedicated servers and Proxmox nodes alike), so Apply All
 * covers servers that never sent an event. Servers that cannot be automated are returned with
 * the reason; nothing is pushed here.
 */
export async function syncPanelPorts(db: Db, panel: OutsideSystems): Promise<{ known: number; skipped: Array<{ serverId: number; reason: string }> }> {
  const servers = await panel.tenantos.listServers();
  const skipped: Array<{ serverId: number; reason: string }> = [];
  let known = 0;
  let next = 0;
  const worker = async () => {
    while (next < servers.length) {
      const server = servers[next++]!;
      try {
        const found = await findServerPorts(db, panel, server.id);
        if (!found.isFound) {
          skipped.push({ serverId: server.id, reason: found.reason });
          continue;
        }
        await rememberServerPorts(db, found);
        known += found.ports.length;
      } catch (e) {
        skipped.push({ serverId: server.id, reason: (e as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, servers.length) }, worker));
  return { known, skipped: skipped.sort((a, b) => a.serverId - b.serverId) };
}
