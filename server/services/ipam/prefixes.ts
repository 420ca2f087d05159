import { eq, sql } from "drizzle-orm";
import { ipamAddresses, ipamPrefixes, ipamVlans, type IpamAddressRow, type IpamPrefixRow, type IpamVlanRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { describeHolders, HOLDER_EXAMPLES } from "@/lib/ipam/holders";
import { parseGateway, parsePrefix, parseVid } from "@/lib/ipam/values";
import type { DbOrTx, Tx } from "@/server/db/client";
import { cleanFields, findPrefixFor, recordAddressEvent, type AddressFields } from "./addresses";
import { writeAudit, type Actor } from "../platform/audit";

// The prefixes with their use live in queries.ts (one query: the table, the chart and the API read it).
export { listPrefixUtilization, type PrefixUtilization } from "./queries";

export function listVlans(db: DbOrTx): Promise<IpamVlanRow[]> {
  return db.select().from(ipamVlans).orderBy(ipamVlans.vid);
}

export async function createVlan(
  db: DbOrTx,
  actor: Actor,
  input: { vid: number; name: string; status: "current" | "planned"; environment?: string | null; description?: string | null },
) {
  const vid = parseVid(input.vid);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select().from(ipamVlans).where(eq(ipamVlans.vid, vid));
    if (taken) throw new AppError("CONFLICT", `VLAN ${vid} exists (${taken.name})`, { field: "vid" });
    const [row] = await tx
      .insert(ipamVlans)
      .values({ ...input, vid })
      .returning();
    await writeAudit(tx, actor, { action: "ipam.vlan.create", entityType: "vlan", entityId: String(vid), after: row });
    return row!;
  });
}

export async function createPrefix(db: DbOrTx, actor: Actor, input: PrefixPatch & { prefix: string }) {
  const { prefix } = parsePrefix(input.prefix);
  const gateway = input.gateway ? parseGateway(input.gateway, prefix) : null;
  return db.transaction(async (tx) => {
    const vlanId = input.vid ? await findVlanId(tx, input.vid) : null;
    await assertPrefixFree(tx, prefix);
    const [row] = await tx
      .insert(ipamPrefixes)
      .values({
        prefix,
        gateway,
        vlanId,
        environment: input.environment ?? null,
        routingNotes: input.routingNotes ?? null,
        description: input.description ?? null,
      })
      .returning();
    await repointAddresses(tx, row!.id, prefix);
    await writeAudit(tx, actor, { action: "ipam.prefix.create", entityType: "prefix", entityId: prefix, after: row });
    return row!;
  });
}

/** Addresses inside a new prefix now belong to it: the most specific prefix counts them. */
export async function repointAddresses(tx: DbOrTx, prefixId: number, prefix: string): Promise<void> {
  await tx.execute(sql`update ipam_addresses a set prefix_id = ${prefixId} where a.address <<= ${prefix}::cidr
    and (a.prefix_id is null or masklen((select prefix from ipam_prefixes where id = a.prefix_id)) < ${Number(prefix.split("/")[1])})`);
}

export interface VlanPatch {
  name?: string;
  status?: "current" | "planned";
  environment?: string | null;
  description?: string | null;
}

/** Name, status, environment, description; the VID is the VLAN's identity (delete and create to renumber). */
export async function updateVlan(db: DbOrTx, actor: Actor, vid: number, patch: VlanPatch): Promise<IpamVlanRow> {
  return db.transaction(async (tx) => {
    const before = await lockVlan(tx, vid);
    if (patch.name !== undefined && !patch.name.trim()) throw new AppError("BAD_REQUEST", "a VLAN needs a name", { field: "name" });
    const [row] = await tx
      .update(ipamVlans)
      .set({ ...patch, name: patch.name?.trim() ?? before.name, updatedAt: new Date() })
      .where(eq(ipamVlans.id, before.id))
      .returning();
    await writeAudit(tx, actor, { action: "ipam.vlan.update", entityType: "vlan", entityId: String(vid), before, after: row });
    return row!;
  });
}

/**
 * Deletes a VLAN nothing uses. Prefixes on it, addresses that name it (released ones excepted: they
 * are history) and planned moves onto it each hold it, and the refusal names them.
 */
export async function deleteVlan(db: DbOrTx, actor: Actor, vid: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockVlan(tx, vid);
    const [use] = await tx.execute<{
      prefixes: number;
      prefix_examples: string[] | null;
      addresses: number;
      address_examples: string[] | null;
      moves: number;
      move_examples: string[] | null;
    }>(sql`
      select
        (select count(*)::int from ipam_prefixes where vlan_id = ${before.id}) as prefixes,
        (select array_agg(x) from (select prefix::text as x from ipam_prefixes where vlan_id = ${before.id} order by prefix limit ${HOLDER_EXAMPLES}) e) as prefix_examples,
        (select count(*)::int from ipam_addresses where vlan_vid = ${vid} and status <> 'released') as addresses,
        (select array_agg(x) from (select host(address) || coalesce(' (' || hostname || ')', '') as x from ipam_addresses
           where vlan_vid = ${vid} and status <> 'released' order by address limit ${HOLDER_EXAMPLES}) e) as address_examples,
        (select count(*)::int from ipam_vlan_moves where target_vid = ${vid}) as moves,
        (select array_agg(x) from (select hostname || ' → ' || host(target_address) as x from ipam_vlan_moves
           where target_vid = ${vid} order by hostname limit ${HOLDER_EXAMPLES}) e) as move_examples`);
    const held = describeHolders(`VLAN ${vid} (${before.name})`, [
      { noun: ["prefix", "prefixes"], count: use!.prefixes, examples: use!.prefix_examples ?? [] },
      { noun: ["address", "addresses"], count: use!.addresses, examples: use!.address_examples ?? [] },
      { noun: ["planned move", "planned moves"], count: use!.moves, examples: use!.move_examples ?? [] },
    ]);
    if (held) throw new AppError("CONFLICT", `${held}: move or delete them first`, { field: "vid" });
    await tx.delete(ipamVlans).where(eq(ipamVlans.id, before.id));
    await writeAudit(tx, actor, { action: "ipam.vlan.delete", entityType: "vlan", entityId: String(vid), before });
  });
}

async function lockVlan(tx: Tx, vid: number): Promise<IpamVlanRow> {
  const [row] = await tx
    .select()
    .from(ipamVlans)
    .where(eq(ipamVlans.vid, parseVid(vid)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", `VLAN ${vid} is not in IPAM`, { field: "vid" });
  return row;
}

export interface PrefixPatch {
  prefix?: string;
  vid?: number | null;
  gateway?: string | null;
  environment?: string | null;
  routingNotes?: string | null;
  description?: string | null;
}

/**
 * Edits a prefix. Its range may change only while it holds no address (their `prefix_id` and the
 * claim's hint would no longer be true). A new range or gateway clears `next_free_hint`: the hint
 * counts the old gateway as taken, and a cleared hint only costs the claim one walk from the start.
 */
export async function updatePrefix(db: DbOrTx, actor: Actor, id: number, patch: PrefixPatch): Promise<IpamPrefixRow> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(ipamPrefixes).where(eq(ipamPrefixes.id, id)).for("update");
    if (!before) throw new AppError("NOT_FOUND", `prefix ${id} does not exist`);
    const prefix = patch.prefix !== undefined ? parsePrefix(patch.prefix).prefix : before.prefix;
    const isNewRange = prefix !== before.prefix;
    if (isNewRange) {
      const holders = await findPrefixHolders(tx, before);
      if (holders) throw new AppError("CONFLICT", `${holders}: its range cannot change`, { field: "prefix" });
      await assertPrefixFree(tx, prefix);
    }
    const gatewayInput = patch.gateway !== undefined ? patch.gateway : before.gateway;
    const gateway = gatewayInput ? parseGateway(gatewayInput, prefix) : null;
    const vlanId = patch.vid === undefined ? before.vlanId : patch.vid === null ? null : await findVlanId(tx, patch.vid);
    const [row] = await tx
      .update(ipamPrefixes)
      .set({
        prefix,
        gateway,
        vlanId,
        environment: patch.environment !== undefined ? patch.environment : before.environment,
        routingNotes: patch.routingNotes !== undefined ? patch.routingNotes : before.routingNotes,
        description: patch.description !== undefined ? patch.description : before.description,
        nextFreeHint: isNewRange || gateway !== before.gateway ? null : before.nextFreeHint,
        updatedAt: new Date(),
      })
      .where(eq(ipamPrefixes.id, id))
      .returning();
    if (isNewRange) await repointAddresses(tx, id, prefix);
    await writeAudit(tx, actor, { action: "ipam.prefix.update", entityType: "prefix", entityId: prefix, before, after: row });
    return row!;
  });
}

/**
 * Deletes a prefix that holds no address row, released ones included: address rows are never
 * deleted (the claim's `next_free_hint` relies on it), and a row whose prefix vanished would sit
 * outside every prefix. Deleting the prefix row itself leaves every other prefix's hint true.
 */
export async function deletePrefix(db: DbOrTx, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(ipamPrefixes).where(eq(ipamPrefixes.id, id)).for("update");
    if (!before) throw new AppError("NOT_FOUND", `prefix ${id} does not exist`);
    const holders = await findPrefixHolders(tx, before);
    if (holders)
      throw new AppError("CONFLICT", `${holders}: address rows are kept as history, released ones too, so this prefix cannot be deleted`, { field: "prefix" });
    await tx.delete(ipamPrefixes).where(eq(ipamPrefixes.id, id));
    await writeAudit(tx, actor, { action: "ipam.prefix.delete", entityType: "prefix", entityId: before.prefix, before });
  });
}

/** The addresses a prefix counts (its `prefix_id` rows), by status, with a few examples; null if none. */
async function findPrefixHolders(tx: Tx, p: IpamPrefixRow): Promise<string | null> {
  const rows = await tx.execute<{ status: string; n: number; examples: string[] }>(sql`
    select status, count(*)::int as n, (array_agg(host(address) || coalesce(' (' || hostname || ')', '') order by address))[1:${HOLDER_EXAMPLES}] as examples
    from ipam_addresses where prefix_id = ${p.id} group by status order by status`);
  return describeHolders(
    `prefix ${p.prefix}`,
    rows.map((r) => ({ noun: [`${r.status} address`, `${r.status} addresses`] as const, count: Number(r.n), examples: r.examples })),
  );
}

/** The id of VLAN `vid`, which a prefix may only name once it is in IPAM. */
async function findVlanId(tx: Tx, vid: number): Promise<number> {
  const [vlan] = await tx.select({ id: ipamVlans.id }).from(ipamVlans).where(eq(ipamVlans.vid, vid));
  if (!vlan) throw new AppError("BAD_REQUEST", `VLAN ${vid} is not in IPAM: add it first`, { field: "vid" });
  return vlan.id;
}

/** Refuses a range another prefix already has (the unique index would too, without naming the field). */
async function assertPrefixFree(tx: Tx, prefix: string): Promise<void> {
  const [taken] = await tx
    .select({ id: ipamPrefixes.id })
    .from(ipamPrefixes)
    .where(sql`${ipamPrefixes.prefix} = ${prefix}::cidr`);
  if (taken) throw new AppError("CONFLICT", `prefix ${prefix} exists`, { field: "prefix" });
}

/**
 * The first free address of a prefix, or a CONFLICT when it is full. Read-only: the console's
 * "Next free" proposal and the claim itself both ask this one function, so the address shown is the
 * address claimed (or the claim refuses). The gap is found by Postgres walking the prefix's addresses
 * in order (index scan + lead()), not by trying candidates.
 */
async function findNextFreeAddress(tx: DbOrTx, prefixId: number): Promise<{ address: string; prefix: string }> {
  const [p] = await tx.execute<{ first: string; last: string; gateway: string | null; prefix: string; hint: string | null }>(sql`
    select host(case when family(prefix) = 4 and masklen(prefix) >= 31 then network(prefix) else network(prefix) + 1 end) as first,
      host(next_free_hint) as hint,
      host(case when family(prefix) = 4 and masklen(prefix) < 31 then broadcast(prefix) - 1 else broadcast(prefix) end) as last,
      host(gateway) as gateway, prefix::text
    from ipam_prefixes where id = ${prefixId}`);
  if (!p) throw new AppError("NOT_FOUND", `prefix ${prefixId} does not exist`);
  // Every host below the hint is taken (see the column), so the search starts there.
  let candidate: string | null = p.hint ?? p.first;
  for (let step = 0; step < 4 && candidate; step++) {
    if (candidate === p.gateway) {
      candidate = (await tx.execute<{ c: string }>(sql`select host(${candidate}::inet + 1) as c`))[0]!.c;
      continue;
    }
    // Addresses handed out in order leave no holes: then the first free is right after the
    // highest, found from min/max/count on the index without walking it. Holes cost one walk.
    const spans: Array<{ lowest: string | null; highest: string | null; is_contiguous: boolean }> = await tx.execute<{
      lowest: string | null;
      highest: string | null;
      is_contiguous: boolean;
    }>(sql`
      select host(min(address)) as lowest, host(max(address)) as highest, coalesce(max(address) - min(address) + 1 = count(*), true) as is_contiguous
      from ipam_addresses where address <<= ${p.prefix}::cidr and address >= ${candidate}::inet`);
    const span = spans[0]!;
    if (!span.lowest || span.lowest !== candidate) break;
    if (span.is_contiguous) {
      candidate = (await tx.execute<{ c: string }>(sql`select host(${span.highest}::inet + 1) as c`))[0]!.c;
      continue;
    }
    const gaps: Array<{ free: string }> = await tx.execute<{ free: string }>(sql`
      select host(x.address + 1) as free from (
        select address, lead(address) over (order by address) as next from ipam_addresses
        where address <<= ${p.prefix}::cidr and address >= ${candidate}::inet
      ) x where x.next is null or x.next - x.address > 1 order by x.address limit 1`);
    candidate = gaps[0]?.free ?? null;
  }
  const [inRange] = candidate
    ? await tx.execute<{ ok: boolean }>(sql`select ${candidate}::inet <= ${p.last}::inet and ${candidate}::inet <<= ${p.prefix}::cidr as ok`)
    : [];
  if (!candidate || !inRange?.ok) throw new AppError("CONFLICT", `prefix ${p.prefix} has no free address left`);
  return { address: candidate, prefix: p.prefix };
}

/** What "Next free" would claim now, without claiming it: the console shows it and claims on confirm. */
export async function proposeNextFreeAddress(db: DbOrTx, prefixId: number): Promise<{ address: string; prefix: string }> {
  return findNextFreeAddress(db, prefixId);
}

/**
 * Claims the first free address of a prefix: serialized per prefix by an advisory lock, and the
 * unique index is the last word, so two callers never get the same address. With `expected` (the
 * address a person confirmed), it claims that address or refuses: never one nobody looked at.
 */
export async function claimNextFreeAddress(
  db: DbOrTx,
  actor: Actor,
  prefixId: number,
  fields: AddressFields,
  opts: { action?: "ipam.address.claim" | "ipam.address.reserve"; expected?: string } = {},
): Promise<IpamAddressRow> {
  const clean = cleanFields(fields);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`ipam:prefix:${prefixId}`}))`);
    const p = await findNextFreeAddress(tx, prefixId);
    const candidate = p.address;
    if (opts.expected !== undefined && opts.expected !== candidate) {
      throw new AppError("CONFLICT", `${opts.expected} is no longer the next free address of ${p.prefix} (now ${candidate}): look again`);
    }
    // Counted by the most specific prefix holding it, which may be a child of the one asked.
    const [row] = await tx
      .insert(ipamAddresses)
      .values({ ...clean, status: clean.status ?? "planned", address: candidate, prefixId: await findPrefixFor(tx, candidate), sourceRef: "console" })
      .returning();
    await tx.execute(sql`update ipam_prefixes set next_free_hint = ${candidate}::inet + 1 where id = ${prefixId}`);
    await recordAddressEvent(tx, actor, candidate, "claimed", { prefix: p.prefix, ...clean });
    await writeAudit(tx, actor, { action: opts.action ?? "ipam.address.claim", entityType: "ip_address", entityId: candidate, after: row });
    return row!;
  });
}
