// Reads of the IPAM address list: one source and one WHERE builder for the console's table and
// the filtered NetBox CSV export, so the file holds exactly the rows the table shows.

import { sql, type SQL } from "drizzle-orm";
import { ipamAddresses, type IpamAddressRow } from "@/drizzle/schema";
import type { AddressTableSort } from "@/lib/ipam/address-table";
import { formatAddressesCsv } from "@/lib/ipam/netbox-csv";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import type { addressTableSpec } from "@/lib/ipam/address-table";
import type { DbOrTx } from "@/server/db/client";
import { iterateList, listPage, type ListPage, type ListSource } from "@/server/db/list-query";
import { searchCondition, toAddressRow, type RawAddress } from "./addresses";

export type AddressFilters = FilterValues<(typeof addressTableSpec)["filters"]>;

export interface AddressView {
  sort: AddressTableSort;
  dir: SortDir;
  q: string;
  filters: AddressFilters;
}

type RawListed = RawAddress & { masklen: number | null };
export type ListedAddress = IpamAddressRow & { maskLength: number | null };

const addressSource: ListSource<AddressTableSort, RawListed, ListedAddress> = {
  select: sql`ipam_addresses.id, host(ipam_addresses.address) as address, ipam_addresses.prefix_id, ipam_addresses.hostname, ipam_addresses.vmid, ipam_addresses.mac, ipam_addresses.vlan_vid, ipam_addresses.owner_team, ipam_addresses.service, ipam_addresses.source_ref,
    ipam_addresses.status, ipam_addresses.created_at, ipam_addresses.updated_at, masklen(p.prefix) as masklen`,
  from: sql`ipam_addresses left join ipam_prefixes p on p.id = ipam_addresses.prefix_id`,
  // Table-qualified: the select list's `address` is host() text, which would sort as text.
  sortColumns: {
    address: sql`ipam_addresses.address`,
    hostname: sql`ipam_addresses.hostname`,
    vmid: sql`ipam_addresses.vmid`,
    mac: sql`ipam_addresses.mac`,
    status: sql`ipam_addresses.status`,
    owner: sql`ipam_addresses.owner_team`,
    source: sql`ipam_addresses.source_ref`,
  },
  tiebreaker: sql`ipam_addresses.id`,
  mapRow: (r) => ({ ...toAddressRow(r), maskLength: r.masklen === null ? null : Number(r.masklen) }),
};

/** The filtered view's conditions. No table alias: the search condition names drizzle's `ipam_addresses` columns. */
function addressWhere(view: Pick<AddressView, "q" | "filters">): Array<SQL | undefined> {
  const f = view.filters;
  return [
    f.status ? sql`ipam_addresses.status = ${f.status}` : undefined,
    f.prefix ? sql`ipam_addresses.prefix_id = ${f.prefix}` : undefined,
    f.vlan ? sql`ipam_addresses.vlan_vid = ${f.vlan}` : undefined,
    f.owner ? sql`ipam_addresses.owner_team = ${f.owner}` : undefined,
    view.q.trim() ? searchCondition(view.q.trim()) : undefined,
  ];
}

/** One page of the address table with the count of all matching rows. */
export function listAddressPage(db: DbOrTx, view: AddressView & { page: number; pageSize: number }): Promise<ListPage<ListedAddress>> {
  return listPage(db, addressSource, { where: addressWhere(view), sort: view.sort, dir: view.dir, page: view.page, pageSize: view.pageSize });
}

/** The owner teams in use, for the owner filter's choices (a handful, read by an index-only distinct). */
export async function listAddressOwners(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ owner: ipamAddresses.ownerTeam }).from(ipamAddresses).orderBy(ipamAddresses.ownerTeam).limit(200);
  return rows.map((r) => r.owner).filter((o): o is string => o !== null);
}

/**
 * NetBox CSV of the addresses in a view (all of them when the view has no filter), in the view's
 * order, read a batch at a time.
 */
export async function exportAddressesCsv(db: DbOrTx, view: AddressView): Promise<string> {
  const parts: string[] = [];
  for await (const batch of iterateList(db, addressSource, { where: addressWhere(view), sort: view.sort, dir: view.dir })) {
    const csv = formatAddressesCsv(batch);
    parts.push(parts.length === 0 ? csv : csv.slice(csv.indexOf("\n") + 1));
  }
  return parts.length ? parts.join("") : formatAddressesCsv([]);
}

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
