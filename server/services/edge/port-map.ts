import { and, asc, eq, ne } from "drizzle-orm";
import { portMapEntries, type PortMapEntryRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { formatNetboxCablesCsv, formatNetboxInterfacesCsv, parseNetboxPortMap } from "@/lib/edge/netbox-port-map";
import { formatPortMapCsv, parsePortMapCsv, parsePortMapEntry, type PortMapEntryValues } from "@/lib/edge/port-map";
import type { Db, DbOrTx, Tx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";

// The physical port map people keep: create, edit, delete and bulk import, each in one
// transaction with its audit row; exports in our CSV and NetBox's.

// Ports in the order people count them: 2 before 10, ge-0/0/2 before ge-0/0/10.
const byNatural = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

export async function listPortMapEntries(db: DbOrTx): Promise<PortMapEntryRow[]> {
  const rows = await db.select().from(portMapEntries).orderBy(asc(portMapEntries.switchName), asc(portMapEntries.port));
  return rows.sort((a, b) => byNatural.compare(a.switchName, b.switchName) || byNatural.compare(a.port, b.port));
}

const valuesOf = (r: PortMapEntryRow): PortMapEntryValues => ({
  switchName: r.switchName,
  switchKind: r.switchKind,
  port: r.port,
  panel: r.panel,
  panelPosition: r.panelPosition,
  farHost: r.farHost,
  farNic: r.farNic,
  farMac: r.farMac,
  bond: r.bond,
  vlanMode: r.vlanMode,
  nativeVlan: r.nativeVlan,
  taggedVlans: r.taggedVlans,
  speedMbps: r.speedMbps,
  notes: r.notes,
});

async function assertPortFree(tx: Tx, values: PortMapEntryValues, exceptId?: number) {
  const [other] = await tx
    .select({ id: portMapEntries.id })
    .from(portMapEntries)
    .where(and(eq(portMapEntries.switchName, values.switchName), eq(portMapEntries.port, values.port), exceptId ? ne(portMapEntries.id, exceptId) : undefined));
  if (other) throw new AppError("CONFLICT", `${values.switchName} ${values.port} is already in the port map`, { field: "port" });
}

/** Two admins saving the same port at once: the unique index decides, and the loser hears why. */
async function mapPortConflict<T>(values: PortMapEntryValues, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const code = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
    if (code === "23505") throw new AppError("CONFLICT", `${values.switchName} ${values.port} is already in the port map`, { field: "port" });
    throw e;
  }
}

export async function createPortMapEntry(db: Db, actor: Actor, input: unknown): Promise<PortMapEntryRow> {
  const values = parsePortMapEntry(input);
  return mapPortConflict(values, () =>
    db.transaction(async (tx) => {
      await assertPortFree(tx, values);
      const [row] = await tx
        .insert(portMapEntries)
        .values({ ...values, updatedBy: actor.id })
        .returning();
      await writeAudit(tx, actor, { action: "port_map.create", entityType: "port_map_entry", entityId: String(row!.id), after: values });
      return row!;
    }),
  );
}

export async function updatePortMapEntry(db: Db, actor: Actor, id: number, input: unknown): Promise<PortMapEntryRow> {
  const values = parsePortMapEntry(input);
  return mapPortConflict(values, () =>
    db.transaction(async (tx) => {
      const [current] = await tx.select().from(portMapEntries).where(eq(portMapEntries.id, id)).for("update");
      if (!current) throw new AppError("NOT_FOUND", `port map entry ${id} does not exist`);
      await assertPortFree(tx, values, id);
      const [row] = await tx
        .update(portMapEntries)
        .set({ ...values, updatedAt: new Date(), updatedBy: actor.id })
        .where(eq(portMapEntries.id, id))
        .returning();
      await writeAudit(tx, actor, { action: "port_map.update", entityType: "port_map_entry", entityId: String(id), before: valuesOf(current), after: values });
      return row!;
    }),
  );
}

export async function deletePortMapEntry(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx.delete(portMapEntries).where(eq(portMapEntries.id, id)).returning();
    if (!gone) throw new AppError("NOT_FOUND", `port map entry ${id} does not exist`);
    await writeAudit(tx, actor, { action: "port_map.delete", entityType: "port_map_entry", entityId: String(id), before: valuesOf(gone) });
  });
}

export type PortMapImport = { format: "csv"; csv: string } | { format: "netbox"; interfacesCsv: string; cablesCsv: string };

/**
 * Bulk import: every row is parsed before anything is written (a bad row names itself and nothing
 * changes); rows for a switch port already in the map replace it. One transaction, one audit row.
 */
export async function importPortMap(db: Db, actor: Actor, input: PortMapImport): Promise<{ created: number; updated: number }> {
  const rows = input.format === "csv" ? parsePortMapCsv(input.csv) : parseNetboxPortMap(input.interfacesCsv, input.cablesCsv);
  if (rows.length === 0) throw new AppError("BAD_REQUEST", "The file has no port map rows", { field: "csv" });
  const keys = new Set<string>();
  for (const r of rows) {
    const k = `${r.switchName}\u0000${r.port}`;
    if (keys.has(k)) throw new AppError("BAD_REQUEST", `${r.switchName} ${r.port} appears twice in the file`, { field: "csv" });
    keys.add(k);
  }
  return db.transaction(async (tx) => {
    const existing = new Map((await tx.select().from(portMapEntries).for("update")).map((r) => [`${r.switchName}\u0000${r.port}`, r]));
    let created = 0;
    let updated = 0;
    for (const values of rows) {
      const current = existing.get(`${values.switchName}\u0000${values.port}`);
      if (current) {
        await tx
          .update(portMapEntries)
          .set({ ...values, updatedAt: new Date(), updatedBy: actor.id })
          .where(eq(portMapEntries.id, current.id));
        updated += 1;
      } else {
        await tx.insert(portMapEntries).values({ ...values, updatedBy: actor.id });
        created += 1;
      }
    }
    await writeAudit(tx, actor, {
      action: "port_map.import",
      entityType: "port_map_entry",
      after: { format: input.format, created, updated, ports: rows.map((r) => `${r.switchName} ${r.port}`) },
    });
    return { created, updated };
  });
}

export async function exportPortMapCsv(db: DbOrTx): Promise<string> {
  return formatPortMapCsv((await listPortMapEntries(db)).map(valuesOf));
}

export async function exportPortMapNetbox(db: DbOrTx): Promise<{ interfacesCsv: string; cablesCsv: string }> {
  const values = (await listPortMapEntries(db)).map(valuesOf);
  return { interfacesCsv: formatNetboxInterfacesCsv(values), cablesCsv: formatNetboxCablesCsv(values) };
}
