import { and, eq, sql } from "drizzle-orm";
import { portMapEntries, type PortMapEntryRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { computePortProposals, describeConfirmedRow, searchPortProposals, type PortProposal } from "@/lib/edge/port-proposals";
import type { Db, DbOrTx, Tx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import { loadEdgeLinkInputs } from "./edge-map";

// Proposed port map rows become confirmed rows only by an admin's word: one by one or in bulk,
// each audited. What is confirmed is recomputed inside the transaction from the same facts the
// page showed, so a proposal that changed or started contradicting a typed row is refused.

/** Every proposal, as the port map page and the path see them. */
export async function listPortProposals(db: DbOrTx, now: Date = new Date()): Promise<PortProposal[]> {
  const { inputs } = await loadEdgeLinkInputs(db, now);
  return computePortProposals(inputs);
}

/**
 * Confirms the proposals named by `keys` (`switch#port`): each becomes a port map row (filling the
 * far end of a row that only had the panel typed). All or nothing: a key no longer proposed, or a
 * proposal contradicting a typed row, names itself and nothing changes.
 */
export async function confirmPortProposals(db: Db, actor: Actor, keys: string[], now: Date = new Date()): Promise<PortMapEntryRow[]> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) throw new AppError("BAD_REQUEST", "Name at least one proposed row to confirm", { field: "keys" });
  return db.transaction(async (tx) => {
    const proposals = await lockAndListProposals(tx, now);
    return confirmInTransaction(tx, actor, proposals, wanted);
  });
}

/**
 * "Confirm all": every proposal the search names that contradicts no typed row, recomputed inside
 * the transaction. The page shows only the first rows and the count, so the count the admin saw is
 * the check: if the network now proposes a different number, nothing changes and the page says so.
 */
export async function confirmEveryPortProposal(
  db: Db,
  actor: Actor,
  input: { q: string; expectedCount: number },
  now: Date = new Date(),
): Promise<PortMapEntryRow[]> {
  return db.transaction(async (tx) => {
    const proposals = await lockAndListProposals(tx, now);
    const keys = searchPortProposals(proposals, input.q)
      .filter((p) => !p.contradicts)
      .map((p) => p.key);
    if (keys.length === 0)
      throw new AppError("NOT_FOUND", "Nothing left to confirm: every proposal was confirmed or contradicts a typed row", { field: "keys" });
    if (keys.length !== input.expectedCount)
      throw new AppError("CONFLICT", `${keys.length} proposals can be confirmed now, not the ${input.expectedCount} shown: look again`, { field: "keys" });
    return confirmInTransaction(tx, actor, proposals, keys);
  });
}

async function lockAndListProposals(tx: Tx, now: Date): Promise<PortProposal[]> {
  // One confirmation at a time: two admins confirming the same port cannot both insert it.
  await tx.execute(sql`lock table port_map_entries in share row exclusive mode`);
  const { inputs } = await loadEdgeLinkInputs(tx, now);
  return computePortProposals(inputs);
}

async function confirmInTransaction(tx: Tx, actor: Actor, proposals: PortProposal[], wanted: string[]): Promise<PortMapEntryRow[]> {
  const byKey = new Map(proposals.map((p) => [p.key, p]));
  const out: PortMapEntryRow[] = [];
  for (const key of wanted) {
    const p = byKey.get(key);
    if (!p) throw new AppError("NOT_FOUND", `${key.replace("#", " ")} is no longer proposed (confirmed already, or no longer heard)`, { field: "keys" });
    if (p.contradicts) throw new AppError("CONFLICT", `${p.switchName} ${p.port}: ${p.contradicts.message}; the typed row is kept`, { field: "keys" });
    const values = { ...describeConfirmedRow(p), origin: p.source, seenAt: p.seenAt };
    const [current] = await tx
      .select()
      .from(portMapEntries)
      .where(and(eq(portMapEntries.switchName, p.switchName), eq(portMapEntries.port, p.port)));
    let row: PortMapEntryRow | undefined;
    if (current) {
      // A row with only the panel typed: the proposal fills in its far end, keeping what was typed.
      [row] = await tx
        .update(portMapEntries)
        .set({
          farHost: values.farHost,
          farNic: current.farNic ?? values.farNic,
          farMac: current.farMac ?? values.farMac,
          bond: current.bond ?? values.bond,
          notes: current.notes ? `${current.notes}\n${values.notes}` : values.notes,
          origin: values.origin,
          seenAt: values.seenAt,
          updatedAt: new Date(),
          updatedBy: actor.id,
        })
        .where(eq(portMapEntries.id, current.id))
        .returning();
    } else {
      [row] = await tx
        .insert(portMapEntries)
        .values({ ...values, updatedBy: actor.id })
        .returning();
    }
    await writeAudit(tx, actor, {
      action: "port_map.confirm",
      entityType: "port_map_entry",
      entityId: String(row!.id),
      before: current ? { farHost: current.farHost, farNic: current.farNic, bond: current.bond } : null,
      after: { ...values, seenAt: values.seenAt?.toISOString() ?? null, evidence: p.evidence },
    });
    out.push(row!);
  }
  return out;
}
