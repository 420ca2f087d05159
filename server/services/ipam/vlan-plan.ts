import { sql } from "drizzle-orm";
import { guestAddresses } from "@/lib/inventory/snapshot";
import { planVlanMigration, type HostMigration, type PlanAddress } from "@/lib/vlans/plan";
import type { DbOrTx } from "@/server/db/client";
import { getInventoryStatus } from "../inventory/queries";

export interface VlanSummary {
  vid: number;
  name: string;
  status: "current" | "planned";
  environment: string | null;
  prefixes: string[];
  activeAddresses: number;
  plannedAddresses: number;
}

/**
 * The VLAN plan: every VLAN with what sits on it now and what is planned onto it (counted in
 * SQL), and per host with a planned address, where it is, where it goes and whether the move may
 * start (checked against the live inventory's latest snapshot).
 */
export async function getVlanPlan(db: DbOrTx): Promise<{ vlans: VlanSummary[]; hosts: HostMigration[]; liveCollectedAt: string | null; isLiveStale: boolean }> {
  const vlans = await db.execute<{
    vid: number;
    name: string;
    status: "current" | "planned";
    environment: string | null;
    prefixes: string[] | null;
    active: number;
    planned: number;
  }>(sql`
    select v.vid, v.name, v.status, v.environment,
      array_agg(distinct p.prefix::text) filter (where p.id is not null) as prefixes,
      count(a.id) filter (where a.status = 'active')::int as active,
      count(a.id) filter (where a.status = 'planned')::int as planned
    from ipam_vlans v left join ipam_prefixes p on p.vlan_id = v.id left join ipam_addresses a on a.prefix_id = p.id
    group by v.id order by v.vid`);
  const prefixes = await db.execute<{ prefix: string; vid: number | null }>(
    sql`select p.prefix::text, v.vid from ipam_prefixes p left join ipam_vlans v on v.id = p.vlan_id`,
  );
  // Hosts with a move planned, and their current addresses.
  const addresses = await db.execute<{ address: string; host: string; status: PlanAddress["status"] }>(sql`
    select host(a.address) as address, a.hostname as host, a.status from ipam_addresses a
    where a.status in ('active', 'planned') and a.hostname in (select hostname from ipam_addresses where status = 'planned' and hostname is not null)`);
  const status = await getInventoryStatus(db);
  const live = (status.snapshot?.data?.guests ?? []).map((g) => ({ host: g.name, ips: guestAddresses(g) }));
  const hosts = planVlanMigration({
    vlans: vlans.map((v) => ({ vid: v.vid, name: v.name, status: v.status })),
    prefixes: prefixes.map((p) => ({ prefix: p.prefix, vid: p.vid })),
    addresses: addresses.map((a) => ({ address: a.address, host: a.host, status: a.status })),
    live,
  });
  return {
    vlans: vlans.map((v) => ({
      vid: v.vid,
      name: v.name,
      status: v.status,
      environment: v.environment,
      prefixes: v.prefixes ?? [],
      activeAddresses: v.active,
      plannedAddresses: v.planned,
    })),
    hosts,
    liveCollectedAt: status.collected_at,
    isLiveStale: status.is_stale,
  };
}
