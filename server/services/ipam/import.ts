import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { ipamAddresses, ipamPrefixes, ipamVlans } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { parseIpAddressesConf } from "@/lib/inventory/ip-addresses-conf";
import { parseVmidTable } from "@/lib/inventory/vmid-table";
import { planDeclaredImport } from "@/lib/ipam/declared-import";
import {
  digestSource,
  planAddressesImport,
  planDeclaredRows,
  planPrefixesImport,
  planVlansImport,
  type DeclaredWrite,
  type ImportPlan,
  type ImportPlanRow,
} from "@/lib/ipam/import-plan";
import {
  formatPrefixesCsv,
  formatVlansCsv,
  parseAddressesCsv,
  parsePrefixesCsv,
  parseVlansCsv,
  type CsvAddress,
  type CsvKind,
  type CsvPrefix,
  type CsvVlan,
} from "@/lib/ipam/netbox-csv";
import type { DbOrTx } from "@/server/db/client";
import { addressTableSpec } from "@/lib/ipam/address-table";
import { parseTableState } from "@/lib/table/url-state";
import { exportAddressesCsv } from "./queries";
import { findPrefixFor, recordAddressEvent, type RawAddress } from "./addresses";
import { repointAddresses } from "./prefixes";
import { writeAudit, type Actor } from "../platform/audit";

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  conflicts: ImportPlanRow[];
}

/** A plan as the console shows it, and the digest that confirms it. */
export interface PlannedImport {
  rows: ImportPlanRow[];
  counts: ImportPlan<unknown>["counts"];
  digest: string;
}

const IMPORT_LOCK = sql`select pg_advisory_xact_lock(hashtext('ipam:import'))`;

function digestOf(plan: ImportPlan<unknown>): string {
  return createHash("sha256").update(digestSource(plan)).digest("hex");
}

function shown(plan: ImportPlan<unknown>): PlannedImport {
  return { rows: plan.rows, counts: plan.counts, digest: digestOf(plan) };
}

/** Applying what was not confirmed is refused: the stored rows (or the file) changed since the plan. */
function requireSameDigest(plan: ImportPlan<unknown>, digest: string): void {
  if (digestOf(plan) !== digest)
    throw new AppError("CONFLICT", "IPAM or the file changed since this import was planned: plan it again and check the new plan before applying", {
      field: "digest",
    });
}

function resultOf(plan: ImportPlan<unknown>): ImportResult {
  return {
    created: plan.counts.create,
    updated: plan.counts.update,
    unchanged: plan.counts.unchanged,
    conflicts: plan.rows.filter((r) => r.action === "conflict"),
  };
}

/** The declared files' plan, from the stored rows the files name. */
async function computeDeclaredPlan(db: DbOrTx, input: { confText: string; docText?: string }): Promise<ImportPlan<DeclaredWrite>> {
  const conf = parseIpAddressesConf(input.confText);
  const doc = parseVmidTable(input.docText ?? "");
  const prefixes = (await db.select({ id: ipamPrefixes.id, prefix: ipamPrefixes.prefix }).from(ipamPrefixes)).map((p) => ({ id: p.id, prefix: p.prefix }));
  const ips = conf.entries.map((e) => e.ip);
  const existingRows = ips.length
    ? await db
        .select()
        .from(ipamAddresses)
        .where(sql`${ipamAddresses.address} = any(${`{${ips.join(",")}}`}::inet[])`)
    : [];
  const existing = new Map(existingRows.map((r) => [r.address, r]));
  return planDeclaredRows(planDeclaredImport({ conf, doc, prefixes, existing }), existing);
}

/** What importing the declared files into IPAM would do; nothing is written. */
export async function planDeclaredInventoryImport(db: DbOrTx, input: { confText: string; docText?: string }): Promise<PlannedImport> {
  return shown(await computeDeclaredPlan(db, input));
}

/**
 * Imports `ip-addresses.conf` (+ the VMID table for names) as planned and confirmed: the plan is
 * made again under the import lock and must carry the confirmed digest. Idempotent (a second run
 * changes nothing and says so), one transaction, conflicts reported and never written over.
 */
export async function importDeclaredInventory(db: DbOrTx, actor: Actor, input: { confText: string; docText?: string; digest: string }): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    await tx.execute(IMPORT_LOCK);
    const plan = await computeDeclaredPlan(tx, input);
    requireSameDigest(plan, input.digest);
    for (const { action, values: a } of plan.writes) {
      if (action === "create") {
        await tx
          .insert(ipamAddresses)
          .values({ address: a.address, prefixId: a.prefixId, hostname: a.hostname, vmid: a.vmid, sourceRef: a.sourceRef, status: "active" });
        await recordAddressEvent(tx, actor, a.address, "imported", { sourceRef: a.sourceRef, hostname: a.hostname, vmid: a.vmid });
      } else {
        const [before] = await tx
          .update(ipamAddresses)
          .set({ hostname: a.hostname, vmid: a.vmid, prefixId: a.prefixId, updatedAt: new Date() })
          .where(sql`${ipamAddresses.address} = ${a.address}::inet`)
          .returning();
        await recordAddressEvent(tx, actor, a.address, "imported", {
          sourceRef: a.sourceRef,
          hostname: a.hostname,
          vmid: a.vmid,
          before: before && { id: before.id },
        });
      }
    }
    const result = resultOf(plan);
    await writeAudit(tx, actor, {
      action: "ipam.import_declared",
      entityType: "ipam",
      after: { created: result.created, updated: result.updated, unchanged: result.unchanged, conflicts: result.conflicts.length },
    });
    return result;
  });
}

/** The columns of an address that NetBox CSV carries, as raw SQL returns them. */
type RawCsvAddress = Pick<RawAddress, "address" | "status" | "hostname" | "vmid" | "mac" | "vlan_vid" | "owner_team" | "service" | "source_ref">;
const toCsvAddress = (a: RawCsvAddress): CsvAddress => ({
  address: a.address,
  status: a.status,
  hostname: a.hostname,
  vmid: a.vmid,
  mac: a.mac,
  vlanVid: a.vlan_vid,
  ownerTeam: a.owner_team,
  service: a.service,
  sourceRef: a.source_ref,
});

type CsvPlan = ImportPlan<CsvVlan> | ImportPlan<CsvPrefix> | ImportPlan<CsvAddress>;

/** A NetBox CSV's plan against the stored rows. A row that does not parse still fails the whole file, naming row and column. */
async function computeCsvPlan(db: DbOrTx, kind: CsvKind, csv: string): Promise<CsvPlan> {
  if (kind === "vlans") {
    const stored = await db.select().from(ipamVlans);
    return planVlansImport(
      parseVlansCsv(csv),
      stored.map((v) => ({ vid: v.vid, name: v.name, status: v.status, description: v.description, environment: v.environment })),
    );
  }
  if (kind === "prefixes") {
    const stored = await readPrefixes(db);
    const vids = await db.select({ vid: ipamVlans.vid }).from(ipamVlans);
    return planPrefixesImport(parsePrefixesCsv(csv), stored, new Set(vids.map((v) => v.vid)));
  }
  const rows = parseAddressesCsv(csv);
  const ips = rows.map((r) => r.address);
  const stored = ips.length
    ? await db.execute<RawCsvAddress>(sql`
        select host(address) as address, status, hostname, vmid, mac, vlan_vid, owner_team, service, source_ref
        from ipam_addresses where address = any(${`{${ips.join(",")}}`}::inet[])`)
    : [];
  const prefixes = await db.execute<{ prefix: string }>(sql`select prefix::text from ipam_prefixes`);
  return planAddressesImport(
    rows,
    stored.map(toCsvAddress),
    prefixes.map((p) => ({ prefix: p.prefix })),
  );
}

/** What importing a NetBox CSV would do; nothing is written. */
export async function planCsvImport(db: DbOrTx, kind: CsvKind, csv: string): Promise<PlannedImport> {
  return shown(await computeCsvPlan(db, kind, csv));
}

/**
 * NetBox CSV in, as planned and confirmed: the plan is made again under the import lock and must
 * carry the confirmed digest; creates and updates are written, conflicts left as they are.
 */
export async function applyCsvImport(db: DbOrTx, actor: Actor, input: { kind: CsvKind; csv: string; digest: string }): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    await tx.execute(IMPORT_LOCK);
    const plan = await computeCsvPlan(tx, input.kind, input.csv);
    requireSameDigest(plan, input.digest);
    if (input.kind === "vlans") {
      for (const { values: v } of (plan as ImportPlan<CsvVlan>).writes)
        await tx
          .insert(ipamVlans)
          .values(v)
          .onConflictDoUpdate({
            target: ipamVlans.vid,
            set: { name: v.name, status: v.status, description: v.description, environment: v.environment, updatedAt: new Date() },
          });
    } else if (input.kind === "prefixes") {
      for (const { values: p } of (plan as ImportPlan<CsvPrefix>).writes) {
        const vlanId = p.vid ? (await tx.select({ id: ipamVlans.id }).from(ipamVlans).where(eq(ipamVlans.vid, p.vid)))[0]?.id : null;
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
      }
    } else {
      for (const { values: a } of (plan as ImportPlan<CsvAddress>).writes) {
        const values = { ...a, prefixId: await findPrefixFor(tx, a.address) };
        await tx
          .insert(ipamAddresses)
          .values(values)
          .onConflictDoUpdate({ target: ipamAddresses.address, set: { ...values, updatedAt: new Date() } });
        await recordAddressEvent(tx, actor, a.address, "imported", { from: "netbox-csv" });
      }
    }
    const result = resultOf(plan);
    await writeAudit(tx, actor, {
      action: "ipam.import_csv",
      entityType: "ipam",
      entityId: input.kind,
      after: { created: result.created, updated: result.updated, unchanged: result.unchanged, conflicts: result.conflicts.length, digest: input.digest },
    });
    return result;
  });
}

async function readPrefixes(db: DbOrTx): Promise<CsvPrefix[]> {
  const rows = await db.execute<{
    prefix: string;
    vid: number | null;
    gateway: string | null;
    environment: string | null;
    routing_notes: string | null;
    description: string | null;
  }>(sql`
    select p.prefix::text, v.vid, host(p.gateway) as gateway, p.environment, p.routing_notes, p.description from ipam_prefixes p left join ipam_vlans v on v.id = p.vlan_id order by p.prefix`);
  return rows.map((p) => ({
    prefix: p.prefix,
    vid: p.vid,
    gateway: p.gateway,
    environment: p.environment,
    routingNotes: p.routing_notes,
    description: p.description,
  }));
}

/**
 * NetBox CSV out, ordered the way NetBox lists them. IP addresses follow the address table's view
 * when `params` name one (its filters, search and sort), else all of them by address.
 */
export async function exportCsv(db: DbOrTx, kind: CsvKind, params: URLSearchParams = new URLSearchParams()): Promise<string> {
  if (kind === "vlans") {
    const rows = await db.select().from(ipamVlans).orderBy(ipamVlans.vid);
    return formatVlansCsv(rows.map((v) => ({ vid: v.vid, name: v.name, status: v.status, description: v.description, environment: v.environment })));
  }
  if (kind === "prefixes") return formatPrefixesCsv(await readPrefixes(db));
  const { state } = parseTableState(addressTableSpec, params);
  return exportAddressesCsv(db, state);
}
