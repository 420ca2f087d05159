import { sql } from "drizzle-orm";
import type { PortBindings } from "@/lib/junos/bindings";
import { guestAddresses, type LiveInventoryData } from "@/lib/inventory/snapshot";
import { parseIpAddress } from "@/lib/net/ip";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit } from "../platform/audit";

/*
 * Keeping the address timeline (drizzle/schema/timeline.ts). Tenantos events, VMAC events and IPAM
 * rows are kept by triggers (migration 0029); the two facts below carry their addresses inside JSON
 * and are recorded here, each called inside the transaction that records the fact itself.
 */

/**
 * After a push that left its ports as planned (committed, or already in place): each port now holds
 * exactly `ports[i].bindings`. Bindings no longer there are closed by this push, new ones opened by
 * it; unchanged ones stay open (a re-push of the same binding is not a new period).
 */
export async function recordPushInTimeline(tx: DbOrTx, push: { pushId: number; switchId: number; ports: readonly PortBindings[] }): Promise<void> {
  if (push.ports.length === 0) return;
  const held = push.ports.flatMap((p) => p.bindings.map((b) => ({ address: b.ip, mac: b.mac, vlan: b.vlan, interface: p.interface })));
  const interfaces = push.ports.map((p) => p.interface);
  await tx.execute(sql`
    with held as (select * from jsonb_to_recordset(${JSON.stringify(held)}::jsonb) as h(address inet, mac text, vlan text, interface text)),
    closed as (
      update address_timeline t set valid_to = greatest(now(), t.valid_from), end_evidence_type = 'switch_push', end_evidence_id = ${String(push.pushId)}
      where t.kind = 'switch_binding' and t.valid_to is null and t.switch_id = ${push.switchId}
        and t.interface in (select jsonb_array_elements_text(${JSON.stringify(interfaces)}::jsonb))
        and not exists (select 1 from held h where h.address = t.address and h.mac = t.mac and h.vlan = t.vlan and h.interface = t.interface)
    )
    insert into address_timeline (kind, address, valid_from, holder_key, tenantos_server_id, switch_id, switch_name, interface, mac, vlan, evidence_type, evidence_id)
    select 'switch_binding', h.address, now(), ${push.switchId} || '|' || h.interface || '|' || h.mac || '|' || h.vlan,
      (select pp.server_id from panel_ports pp where pp.switch_id = ${push.switchId} and pp.interface = h.interface),
      ${push.switchId}, (select s.name from switches s where s.id = ${push.switchId}), h.interface, h.mac, h.vlan, 'switch_push', ${String(push.pushId)}
    from held h
    on conflict (kind, address, holder_key) where valid_to is null do nothing`);
}

/** A guest's addresses as one good collection saw them: one row per (address, VMID). */
export function listGuestSightings(data: LiveInventoryData): Array<{ address: string; vmid: number; name: string; node: string; mac: string | null }> {
  const byKey = new Map<string, { address: string; vmid: number; name: string; node: string; mac: string | null }>();
  for (const g of data.guests) {
    for (const raw of guestAddresses(g)) {
      let address: string;
      try {
        address = parseIpAddress(raw.replace(/\/\d+$/, "")).ip;
      } catch {
        continue;
      }
      const nic = g.nics.find((n) => n.config_ips.some((c) => c.replace(/\/\d+$/, "") === raw.replace(/\/\d+$/, "")));
      const key = `${address}|${g.vmid}`;
      if (!byKey.has(key)) byKey.set(key, { address, vmid: g.vmid, name: g.name, node: g.node, mac: nic?.mac?.toLowerCase() ?? null });
    }
  }
  return [...byKey.values()];
}

/**
 * After a good collection: a guest seen holding an address keeps its open period (the period's
 * `last_seen_at` moves on) or opens one at this collection; an open period the collection no longer
 * saw ends at it. So two collections seeing the same guest and address make one period.
 */
export async function recordCollectionInTimeline(tx: DbOrTx, collection: { snapshotId: number; collectedAt: Date; data: LiveInventoryData }): Promise<void> {
  const seen = listGuestSightings(collection.data);
  const at = collection.collectedAt.toISOString();
  const id = String(collection.snapshotId);
  await tx.execute(sql`
    insert into address_timeline_collections (source, snapshot_id, collected_at) values ('proxmox', ${collection.snapshotId}, ${at}::timestamptz)
    on conflict (snapshot_id) do nothing`);
  await tx.execute(sql`
    with seen as (select * from jsonb_to_recordset(${JSON.stringify(seen)}::jsonb) as s(address inet, vmid integer, name text, node text, mac text)),
    closed as (
      update address_timeline t set valid_to = greatest(${at}::timestamptz, t.valid_from), end_evidence_type = 'inventory_snapshot', end_evidence_id = ${id}
      where t.kind = 'guest' and t.valid_to is null and t.valid_from <= ${at}::timestamptz
        and not exists (select 1 from seen s where s.address = t.address and s.vmid = t.vmid)
    )
    insert into address_timeline (kind, address, valid_from, holder_key, vmid, hostname, node, mac, evidence_type, evidence_id, last_seen_at)
    select 'guest', s.address, ${at}::timestamptz, s.vmid::text, s.vmid, s.name, s.node, s.mac, 'inventory_snapshot', ${id}, ${at}::timestamptz
    from seen s
    on conflict (kind, address, holder_key) where valid_to is null do update
      set last_seen_at = greatest(address_timeline.last_seen_at, excluded.last_seen_at), node = excluded.node, hostname = excluded.hostname,
        mac = coalesce(excluded.mac, address_timeline.mac)`);
}

/**
 * Closed periods that ended before the retention go; open ones always stay (they are what an
 * address holds now), and so does the newest collection before the cut (the gap check needs a
 * start). The cut is remembered, so a question about earlier times is answered "pruned", not "nobody".
 */
export async function pruneAddressTimeline(db: DbOrTx, retentionDays: number): Promise<number> {
  return db.transaction(async (tx) => {
    const cutoff = new Date(Date.now() - retentionDays * 86_400_000);
    const gone = await tx.execute<{ id: number }>(
      sql`delete from address_timeline where valid_to is not null and valid_to < ${cutoff.toISOString()}::timestamptz returning id`,
    );
    await tx.execute(sql`
      delete from address_timeline_collections c where c.collected_at < ${cutoff.toISOString()}::timestamptz
        and c.id <> (select max(id) from address_timeline_collections where collected_at < ${cutoff.toISOString()}::timestamptz)`);
    await tx.execute(sql`
      update address_timeline_coverage set pruned_before = greatest(coalesce(pruned_before, ${cutoff.toISOString()}::timestamptz), ${cutoff.toISOString()}::timestamptz)
      where recording_since < ${cutoff.toISOString()}::timestamptz`);
    if (gone.length)
      await writeAudit(
        tx,
        { id: "system:prune-address-timeline" },
        {
          action: "address_timeline.pruned",
          entityType: "address_timeline",
          entityId: "retention",
          after: { rows: gone.length, before: cutoff, retentionDays },
        },
      );
    return gone.length;
  });
}

/**
 * The one-off fill from what was stored before the timeline existed: pushes that left their ports
 * as planned, replayed in order, and every kept good collection. Events, VMACs and IPAM were filled
 * by the migration itself. Runs once (marked in the coverage row); later runs return at once.
 */
export async function backfillAddressTimeline(db: Db): Promise<{ pushes: number; collections: number } | null> {
  const [state] = await db.execute<{ backfilled_at: string | null }>(sql`select backfilled_at from address_timeline_coverage where id = 1`);
  if (!state || state.backfilled_at) return null;
  const pushes = await db.execute<{
    id: number;
    switch_id: number;
    plan: { changes?: Array<{ interface: string; desired: PortBindings["bindings"] }> } | null;
    finished_at: string;
  }>(sql`
    select id, switch_id, plan, finished_at::text from switch_pushes where status in ('committed', 'confirmed-after-reconnect') and plan is not null order by coalesce(finished_at, started_at), id`);
  const snapshots = await db.execute<{ id: number }>(
    sql`select id from inventory_snapshots where status = 'ok' and data is not null order by collected_at, id`,
  );
  await db.transaction(async (tx) => {
    for (const p of pushes) {
      const ports = (p.plan?.changes ?? []).map((c) => ({ interface: c.interface, bindings: c.desired }));
      await recordPushInTimeline(tx, { pushId: p.id, switchId: p.switch_id, ports });
      // A replayed push happened at its own time, not now.
      await tx.execute(
        sql`update address_timeline set valid_from = ${p.finished_at}::timestamptz where evidence_type = 'switch_push' and evidence_id = ${String(p.id)} and valid_from >= ${p.finished_at}::timestamptz`,
      );
      await tx.execute(
        sql`update address_timeline set valid_to = greatest(valid_from, ${p.finished_at}::timestamptz) where end_evidence_type = 'switch_push' and end_evidence_id = ${String(p.id)}`,
      );
    }
    for (const s of snapshots) {
      const [row] = await tx.execute<{ data: LiveInventoryData; collected_at: string }>(
        sql`select data, collected_at::text from inventory_snapshots where id = ${s.id}`,
      );
      if (row) await recordCollectionInTimeline(tx, { snapshotId: s.id, collectedAt: new Date(row.collected_at), data: row.data });
    }
    await tx.execute(sql`update address_timeline_coverage set backfilled_at = now() where id = 1`);
  });
  return { pushes: pushes.length, collections: snapshots.length };
}

/** What pushed ports hold after a push that stood: the desired bindings, less those the plan left out. */
export function listHeldBindings(desired: readonly PortBindings[], skipped: ReadonlyArray<{ interface: string; ip: string }>): PortBindings[] {
  return desired.map((p) => ({
    interface: p.interface,
    bindings: p.bindings.filter((b) => !skipped.some((s) => s.interface === p.interface && s.ip === b.ip)),
  }));
}
