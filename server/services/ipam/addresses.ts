import { and, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { ipamAddressEvents, ipamAddresses, type IpamAddressRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import type { AddressStatus } from "@/lib/ipam/netbox-csv";
import { parseMacAddress } from "@/lib/junos/values";
import { parseIpAddress } from "@/lib/net/ip";
import type { DbOrTx, Tx } from "@/server/db/client";
import { escapeLike } from "@/server/db/like";
import { writeAudit, type Actor } from "../platform/audit";

export interface AddressFields {
  hostname?: string | null;
  vmid?: number | null;
  mac?: string | null;
  vlanVid?: number | null;
  ownerTeam?: string | null;
  service?: string | null;
  status?: AddressStatus;
}

export interface AddressQuery {
  search?: string;
  status?: AddressStatus;
  prefixId?: number;
  sort: "address" | "hostname";
  /** Keyset cursor: the last row of the previous page (never OFFSET: 100k rows stay fast). */
  after?: { address: string; hostname: string | null; id: number };
  limit: number;
}

/** One page of addresses, filtered and sorted in Postgres, paged by key. */
export async function listAddresses(db: DbOrTx, q: AddressQuery): Promise<{ rows: IpamAddressRow[]; next: AddressQuery["after"] | null }> {
  const where: Array<SQL | undefined> = [
    q.status ? eq(ipamAddresses.status, q.status) : undefined,
    q.prefixId ? eq(ipamAddresses.prefixId, q.prefixId) : undefined,
  ];
  const search = q.search?.trim();
  if (search) where.push(searchCondition(search));
  if (q.after) {
    where.push(
      q.sort === "address"
        ? sql`${ipamAddresses.address} > ${q.after.address}::inet`
        : sql`(coalesce(${ipamAddresses.hostname}, ''), ${ipamAddresses.id}) > (${q.after.hostname ?? ""}, ${q.after.id})`,
    );
  }
  // Table-qualified: the select list's `address` is host() text, which would sort as text.
  const order = q.sort === "address" ? sql`ipam_addresses.address` : sql`coalesce(ipam_addresses.hostname, ''), ipam_addresses.id`;
  const conditions = where.filter((c): c is SQL => c !== undefined);
  // The console's hottest read: plain SQL and a flat row mapping (bench:ipam measured drizzle's
  // query builder and row mapping at about half of this call's time).
  const raw = await db.execute<RawAddress>(sql`
    select id, host(address) as address, prefix_id, hostname, vmid, mac, vlan_vid, owner_team, service, source_ref, status, created_at, updated_at
    from ipam_addresses ${conditions.length ? sql`where ${and(...conditions)}` : sql``}
    order by ${order} limit ${q.limit + 1}`);
  const rows = raw.map(toAddressRow);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > q.limit && last ? { address: last.address, hostname: last.hostname, id: last.id } : null };
}

/** An ipam_addresses row as raw SQL returns it (snake_case, `host(address)`), for queries drizzle cannot build. */
export type RawAddress = {
  id: string | number;
  address: string;
  prefix_id: number | null;
  hostname: string | null;
  vmid: number | null;
  mac: string | null;
  vlan_vid: number | null;
  owner_team: string | null;
  service: string | null;
  source_ref: string | null;
  status: IpamAddressRow["status"];
  created_at: string | Date;
  updated_at: string | Date;
};

export const toAddressRow = (r: RawAddress): IpamAddressRow => ({
  id: Number(r.id),
  address: r.address,
  prefixId: r.prefix_id,
  hostname: r.hostname,
  vmid: r.vmid,
  mac: r.mac,
  vlanVid: r.vlan_vid,
  ownerTeam: r.owner_team,
  service: r.service,
  sourceRef: r.source_ref,
  status: r.status,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/** An address or a prefix searches by containment; anything else by hostname, service or source. */
export function searchCondition(search: string): SQL {
  if (/^[0-9a-f.:]+(\/\d{1,3})?$/i.test(search) && (search.includes(".") || search.includes(":"))) {
    const isCidr = search.includes("/");
    return isCidr ? sql`${ipamAddresses.address} <<= ${search}::cidr` : sql`host(${ipamAddresses.address}) like ${`${escapeLike(search)}%`}`;
  }
  const like = `%${escapeLike(search)}%`;
  return or(ilike(ipamAddresses.hostname, like), ilike(ipamAddresses.service, like), ilike(ipamAddresses.sourceRef, like))!;
}

export async function recordAddressEvent(
  tx: Tx,
  actor: Actor,
  address: string,
  kind: "created" | "updated" | "released" | "imported" | "claimed",
  detail: unknown,
): Promise<void> {
  await tx.insert(ipamAddressEvents).values({ address, actor: actor.id, kind, detail: detail as object });
}

export function cleanFields(f: AddressFields): AddressFields {
  const out: AddressFields = { ...f };
  if (f.mac) out.mac = parseMacAddress(f.mac);
  if (f.hostname !== undefined) out.hostname = f.hostname?.trim() || null;
  return out;
}

/** The most specific prefix holding the address (GiST index), or a clear error. */
export async function findPrefixFor(db: DbOrTx, address: string): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`select id from ipam_prefixes where prefix >>= ${address}::inet order by masklen(prefix) desc limit 1`);
  if (!rows[0]) throw new AppError("BAD_REQUEST", `${address} is outside every prefix in IPAM: add its prefix first`, { field: "address" });
  return Number(rows[0].id);
}

export async function createAddress(
  db: DbOrTx,
  actor: Actor,
  input: AddressFields & { address: string },
  opts: { action?: "ipam.address.create" | "ipam.address.reserve" } = {},
): Promise<IpamAddressRow> {
  const { ip } = parseIpAddress(input.address.trim());
  const fields = cleanFields(input);
  return db.transaction(async (tx) => {
    const prefixId = await findPrefixFor(tx, ip);
    const [taken] = await tx.select().from(ipamAddresses).where(eq(ipamAddresses.address, ip));
    if (taken) throw new AppError("CONFLICT", `${ip} is already in IPAM (${taken.hostname ?? "no hostname"}, ${taken.status})`, { field: "address" });
    const [row] = await tx
      .insert(ipamAddresses)
      .values({ ...fields, address: ip, prefixId, sourceRef: "console" })
      .returning();
    await recordAddressEvent(tx, actor, ip, "created", fields);
    await writeAudit(tx, actor, { action: opts.action ?? "ipam.address.create", entityType: "ip_address", entityId: ip, after: row });
    return row!;
  });
}

export async function updateAddress(db: DbOrTx, actor: Actor, id: number, patch: AddressFields): Promise<IpamAddressRow> {
  const fields = cleanFields(patch);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(ipamAddresses).where(eq(ipamAddresses.id, id)).for("update");
    if (!before) throw new AppError("NOT_FOUND", `address ${id} does not exist`);
    const [row] = await tx
      .update(ipamAddresses)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(ipamAddresses.id, id))
      .returning();
    await recordAddressEvent(tx, actor, before.address, fields.status === "released" ? "released" : "updated", fields);
    await writeAudit(tx, actor, {
      action: fields.status === "released" ? "ipam.address.release" : "ipam.address.update",
      entityType: "ip_address",
      entityId: before.address,
      before,
      after: row,
    });
    return row!;
  });
}

export function listAddressHistory(db: DbOrTx, address: string) {
  const { ip } = parseIpAddress(address);
  return db
    .select()
    .from(ipamAddressEvents)
    .where(eq(ipamAddressEvents.address, ip))
    .orderBy(desc(ipamAddressEvents.at), desc(ipamAddressEvents.id))
    .limit(200);
}
