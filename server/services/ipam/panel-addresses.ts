import { sql } from "drizzle-orm";
import type { PanelAddress } from "@/lib/port-security/plan";
import type { Tx } from "@/server/db/client";
import { recordAddressEvent } from "./addresses";

const SYSTEM = { id: "system:port-security" };

/**
 * IPAM knows what the panel assigned: each address a push binds (and a dedicated server's other
 * Tenantos assignments) is recorded in use, in its most specific prefix, with the server as owner
 * and the source shown, so utilization counts it and "next free" never hands it out. A row someone
 * else made (console, import) is left as it is; one the panel made follows the panel. In the
 * caller's transaction (the push's own), with no network call.
 */
export async function recordPanelAddresses(tx: Tx, addresses: readonly PanelAddress[]): Promise<void> {
  for (const a of addresses) {
    const service = a.serverId !== null ? `Tenantos server ${a.serverId}` : a.vmid !== null ? `Proxmox VM ${a.vmid} (not in Tenantos)` : null;
    const rows = await tx.execute<{ is_inserted: boolean }>(sql`
      insert into ipam_addresses (address, prefix_id, mac, vmid, service, source_ref, status)
      values (${a.ip}::inet, (select id from ipam_prefixes where prefix >>= ${a.ip}::inet order by masklen(prefix) desc limit 1),
        ${a.mac}, ${a.vmid}, ${service}, ${a.sourceRef}, 'active')
      on conflict (address) do update set mac = excluded.mac, vmid = excluded.vmid, service = excluded.service,
        source_ref = excluded.source_ref, status = 'active', updated_at = now()
      where ipam_addresses.source_ref like 'panel:%'
        and (ipam_addresses.mac, ipam_addresses.vmid, ipam_addresses.service, ipam_addresses.source_ref, ipam_addresses.status)
          is distinct from (excluded.mac, excluded.vmid, excluded.service, excluded.source_ref, 'active')
      returning (xmax = 0) as is_inserted`);
    if (rows[0]?.is_inserted) await recordAddressEvent(tx, SYSTEM, a.ip, "created", { ...a, service });
  }
}

/**
 * IPAM follows the panel the other way too: an address a push took off its port is released when
 * the panel made its row and the same push records it nowhere else (Tenantos removed it; a row an
 * admin made is left as it is). In the push's own transaction.
 */
export async function releasePanelAddresses(tx: Tx, removedIps: readonly string[], recorded: readonly PanelAddress[]): Promise<void> {
  const kept = new Set(recorded.map((a) => a.ip));
  for (const ip of new Set(removedIps)) {
    if (kept.has(ip)) continue;
    const rows = await tx.execute<{ address: string }>(sql`
      update ipam_addresses set status = 'released', mac = null, vmid = null, service = null, updated_at = now()
      where address = ${ip}::inet and source_ref like 'panel:%' and status <> 'released'
      returning host(address) as address`);
    if (rows[0]) await recordAddressEvent(tx, SYSTEM, ip, "released", { reason: "the push took it off its port: Tenantos no longer assigns it there" });
  }
}
