import { eq, sql } from "drizzle-orm";
import { ipamAddresses, ipamPrefixes, ipamVlans } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { parseIpAddressesConf } from "@/lib/inventory/ip-addresses-conf";
import { parseVmidTable } from "@/lib/inventory/vmid-table";
import { planDeclaredImport, type ImportConflict } from "@/lib/ipam/declared-import";
import { formatAddressesCsv, formatPrefixesCsv, formatVlansCsv, parseAddressesCsv, parsePrefixesCsv, parseVlansCsv, type CsvKind } from "@/lib/ipam/netbox-csv";
import type { DbOrTx } from "@/server/db/client";
import { recordAddressEvent, type RawAddress } from "./addresses";
import { repointAddresses } from "./prefixes";
import { writeAudit, type Actor } from "../platform/audit";

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  conflicts: ImportConflict[];
}

/**
 * Imports `ip-addresses.conf` (+ the VMID table for names): idempotent (a second run changes
 * nothing and says so), one transaction, conflicts reported and never written over.
 */
export async function importDeclaredInventory(db: DbOrTx, actor: Actor, input: { confText: string; docText?: string }): Promise<ImportResult> {
  const conf = parseIpAddressesConf(input.confText);
  const doc = parseVmidTable(input.docText ?? "");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('ipam:import'))`);
    const prefixes = (await tx.select({ id: ipamPrefixes.id, prefix: ipamPrefixes.prefix }).from(ipamPrefixes)).map((p) => ({ id: p.id, prefix: p.prefix }));
    const ips = conf.entries.map((e) => e.ip);
    const existingRows = ips.length
      ? await tx
          .select()
          .from(ipamAddresses)
          .where(sql`${ipamAddresses.address} = any(${`{${ips.join(",")}}`}::inet[])`)
      : [];
    const existing = new Map(existingRows.map((r) => [r.address, r]));
    const plan = planDeclaredImport({ conf, doc, prefixes, existing });
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, conflicts: plan.conflicts };
    for (const a of plan.addresses) {
      const before = existing.get(a.address);
      if (!before) {
        await tx
          .insert(ipamAddresses)
          .values({ address: a.address, prefixId: a.prefixId, hostname: a.hostname, vmid: a.vmid, sourceRef: a.sourceRef, status: "active" });
        await recordAddressEvent(tx, actor, a.address, "imported", { sourceRef: a.sourceRef, hostname: a.hostname, vmid: a.vmid });
        result.created++;
      } else if (before.hostname !== a.hostname || before.vmid !== a.vmid || before.prefixId !== a.prefixId) {
        await tx
          .update(ipamAddresses)
          .set({ hostname: a.hostname, vmid: a.vmid, prefixId: a.prefixId, updatedAt: new Date() })
          .where(eq(ipamAddresses.id, before.id));
        await recordAddressEvent(tx, actor, a.address, "imported", {
          sourceRef: a.sourceRef,
          hostname: a.hostname,
          vmid: a.vmid,
          before: { hostname: before.hostname, vmid: before.vmid },
        });
        result.updated++;
      } else result.unchanged++;
    }
    await writeAudit(tx, actor, {
      action: "ipam.import_declared",
      entityType: "ipam",
      after: { created: result.created, updated: result.updated, unchanged: result.unchanged, conflicts: result.conflicts.length },
    });
    return result;
  });
}

/** NetBox CSV in: the whole file or nothing (a bad row names itself and nothing is written). */
export async function importCsv(db: DbOrTx, actor: Actor, kind: CsvKind, csv: string): Promise<{ written: number }> {
  return db.transaction(async (tx) => {
    let written = 0;
    if (kind === "vlans") {
      for (const v of parseVlansCsv(csv)) {
        await tx
          .insert(ipamVlans)
          .values(v)
          .onConflictDoUpdate({
            target: ipamVlans.vid,
            set: { name: v.name, status: v.status, description: v.description, environment: v.environment, updatedAt: new Date() },
          });
        written++;
      }
    } else if (kind === "prefixes") {
      for (const [i, p] of parsePrefixesCsv(csv).entries()) {
        const vlanId = p.vid ? (await tx.select({ id: ipamVlans.id }).from(ipamVlans).where(eq(ipamVlans.vid, p.vid)))[0]?.id : null;
        if (p.vid && !vlanId)
          throw new AppError("BAD_REQUEST", `row ${i + 2}, column vlan: VLAN ${p.vid} is not in IPAM (import VLANs first)`, { field: "csv" });
        const values = {
          prefix: p.prefix,
          vlanId: vlanId ?? null,
          gateway: p.gateway,
          environment: p.environment,
          routingNotes: p.routingNotes,
          description: p.description,
        };
        const [saved] = await tx
          .insert(ipamPrefixes)
          .values(values)
          .onConflictDoUpdate({ target: ipamPrefixes.prefix, set: { ...values, updatedAt: new Date() } })
          .returning({ id: ipamPrefixes.id });
        await repointAddresses(tx, saved!.id, p.prefix);
        written++;
      }
    } else {
      for (const [i, a] of parseAddressesCsv(csv).entries()) {
        const [prefix] = await tx.execute<{ id: number }>(
          sql`select id from ipam_prefixes where prefix >>= ${a.address}::inet order by masklen(prefix) desc limit 1`,
        );
        if (!prefix) throw new AppError("BAD_REQUEST", `row ${i + 2}, column address: ${a.address} is outside every prefix in IPAM`, { field: "csv" });
        const values = { ...a, prefixId: Number(prefix.id), sourceRef: a.sourceRef ?? "csv" };
        await tx
          .insert(ipamAddresses)
          .values(values)
          .onConflictDoUpdate({ target: ipamAddresses.address, set: { ...values, updatedAt: new Date() } });
        await recordAddressEvent(tx, actor, a.address, "imported", { from: "netbox-csv" });
        written++;
      }
    }
    await writeAudit(tx, actor, { action: "ipam.import_csv", entityType: "ipam", entityId: kind, after: { written } });
    return { written };
  });
}

/** NetBox CSV out, ordered the way NetBox lists them. */
export async function exportCsv(db: DbOrTx, kind: CsvKind): Promise<string> {
  if (kind === "vlans") {
    const rows = await db.select().from(ipamVlans).orderBy(ipamVlans.vid);
    return formatVlansCsv(rows.map((v) => ({ vid: v.vid, name: v.name, status: v.status, description: v.description, environment: v.environment })));
  }
  if (kind === "prefixes") {
    const rows = await db.execute<{
      prefix: string;
      vid: number | null;
      gateway: string | null;
      environment: string | null;
      routing_notes: string | null;
      description: string | null;
    }>(sql`
      select p.prefix::text, v.vid, host(p.gateway) as gateway, p.environment, p.routing_notes, p.description from ipam_prefixes p left join ipam_vlans v on v.id = p.vlan_id order by p.prefix`);
    return formatPrefixesCsv(
      rows.map((p) => ({
        prefix: p.prefix,
        vid: p.vid,
        gateway: p.gateway,
        environment: p.environment,
        routingNotes: p.routing_notes,
        description: p.description,
      })),
    );
  }
  const rows = await db.execute<
    Pick<RawAddress, "address" | "status" | "hostname" | "vmid" | "mac" | "vlan_vid" | "owner_team" | "service" | "source_ref"> & { masklen: number | null }
  >(sql`
    select host(a.address) as address, masklen(p.prefix) as masklen, a.status, a.hostname, a.vmid, a.mac, a.vlan_vid, a.owner_team, a.service, a.source_ref
    from ipam_addresses a left join ipam_prefixes p on p.id = a.prefix_id order by a.address`);
  return formatAddressesCsv(
    rows.map((a) => ({
      address: a.address,
      maskLength: a.masklen,
      status: a.status,
      hostname: a.hostname,
      vmid: a.vmid,
      mac: a.mac,
      vlanVid: a.vlan_vid,
      ownerTeam: a.owner_team,
      service: a.service,
      sourceRef: a.source_ref,
    })),
  );
}
