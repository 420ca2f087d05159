import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";

export interface PrefixUtilization {
  id: number;
  prefix: string;
  vid: number | null;
  vlanName: string | null;
  gateway: string | null;
  environment: string | null;
  description: string | null;
  routingNotes: string | null;
  /** Addresses the prefix counts that are not released (reserved ones included). */
  used: number;
  /** Of `used`: held for an owner and a service before anything uses them (planned, owner named). */
  reserved: number;
  /** Assignable addresses (IPv4 without network and broadcast); IPv6 capped for display. */
  size: number;
}

/**
 * Every prefix with its use, counted by Postgres in one grouped query (never a loop here). The
 * prefixes table, the utilization chart and the API all read these figures, so they cannot disagree.
 * "Reserved" is the rule the address list shows: planned with an owner team (reservations.ts).
 */
export async function listPrefixUtilization(db: DbOrTx): Promise<PrefixUtilization[]> {
  const rows = await db.execute<{
    id: number;
    prefix: string;
    vid: number | null;
    vlan_name: string | null;
    gateway: string | null;
    environment: string | null;
    description: string | null;
    routing_notes: string | null;
    used: number;
    reserved: number;
    size: string;
  }>(sql`
    select p.id, p.prefix::text, v.vid, v.name as vlan_name, host(p.gateway) as gateway, p.environment, p.description, p.routing_notes,
      coalesce(u.used, 0)::int as used, coalesce(u.reserved, 0)::int as reserved,
      (case when family(p.prefix) = 4 then
         case when masklen(p.prefix) >= 31 then 2 ^ (32 - masklen(p.prefix)) else 2 ^ (32 - masklen(p.prefix)) - 2 end
       else least(2 ^ (128 - masklen(p.prefix)), 1e15) end)::bigint::text as size
    from ipam_prefixes p
    left join ipam_vlans v on v.id = p.vlan_id
    left join (
      select a.prefix_id, count(*) as used, count(*) filter (where a.status = 'planned' and a.owner_team is not null) as reserved
      from ipam_addresses a where a.status <> 'released' group by a.prefix_id
    ) u on u.prefix_id = p.id
    order by p.prefix`);
  return rows.map((r) => ({
    id: Number(r.id),
    prefix: r.prefix,
    vid: r.vid,
    vlanName: r.vlan_name,
    gateway: r.gateway,
    environment: r.environment,
    description: r.description,
    routingNotes: r.routing_notes,
    used: Number(r.used),
    reserved: Number(r.reserved),
    size: Number(r.size),
  }));
}
