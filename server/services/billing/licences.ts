import { and, count, eq } from "drizzle-orm";
import { billingLicences, billingOrgs, billingSeatAssignments, billingSkus, type BillingLicenceRow } from "@/drizzle/schema";
import { assertSeatCountFits, assertSeatFree } from "@/lib/billing/seats";
import { AppError } from "@/lib/errors";
import type { Db, Tx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";

export interface LicenceInput {
  skuId: number;
  orgId: number;
  project?: string | null;
  seatCount: number;
  validFrom: Date;
  validTo?: Date | null;
}

/** Grants a licence by hand (Stripe's come from its events): audited. */
export async function createLicence(db: Db, actor: Actor, input: LicenceInput): Promise<BillingLicenceRow> {
  assertSeatCountFits({ id: 0 }, input.seatCount, 0);
  if (input.validTo && input.validTo <= input.validFrom) throw new AppError("BAD_REQUEST", "valid to must be after valid from", { field: "validTo" });
  return db.transaction(async (tx) => {
    const [sku] = await tx.select().from(billingSkus).where(eq(billingSkus.id, input.skuId));
    if (!sku) throw new AppError("NOT_FOUND", `SKU ${input.skuId} does not exist`, { field: "skuId" });
    const [org] = await tx.select().from(billingOrgs).where(eq(billingOrgs.id, input.orgId));
    if (!org) throw new AppError("NOT_FOUND", `org ${input.orgId} does not exist`, { field: "orgId" });
    const [row] = await tx
      .insert(billingLicences)
      .values({ ...input, project: input.project || null, validTo: input.validTo ?? null })
      .returning();
    await writeAudit(tx, actor, { action: "billing.licence.create", entityType: "licence", entityId: String(row!.id), after: row });
    return row!;
  });
}

async function lockLicence(tx: Tx, id: number): Promise<{ licence: BillingLicenceRow; assigned: number }> {
  const [licence] = await tx.select().from(billingLicences).where(eq(billingLicences.id, id)).for("update");
  if (!licence) throw new AppError("NOT_FOUND", `licence ${id} does not exist`, { field: "licenceId" });
  const [n] = await tx.select({ n: count() }).from(billingSeatAssignments).where(eq(billingSeatAssignments.licenceId, id));
  return { licence, assigned: n!.n };
}

/** Changes the seats bought; never below the seats given out. */
export async function updateLicenceSeats(db: Db, actor: Actor, input: { licenceId: number; seatCount: number }): Promise<BillingLicenceRow> {
  return db.transaction(async (tx) => {
    const { licence, assigned } = await lockLicence(tx, input.licenceId);
    if (licence.externalRef)
      throw new AppError("CONFLICT", `licence ${licence.id} is Stripe's (${licence.externalRef}): change the quantity there`, { field: "seatCount" });
    assertSeatCountFits(licence, input.seatCount, assigned);
    const [row] = await tx
      .update(billingLicences)
      .set({ seatCount: input.seatCount, updatedAt: new Date() })
      .where(eq(billingLicences.id, licence.id))
      .returning();
    await writeAudit(tx, actor, {
      action: "billing.licence.seats",
      entityType: "licence",
      entityId: String(licence.id),
      before: { seatCount: licence.seatCount },
      after: { seatCount: input.seatCount },
    });
    return row!;
  });
}

/** Ends a licence now; its seat holders lose it with it. */
export async function revokeLicence(db: Db, actor: Actor, input: { licenceId: number }): Promise<BillingLicenceRow> {
  return db.transaction(async (tx) => {
    const { licence } = await lockLicence(tx, input.licenceId);
    if (licence.status === "revoked") throw new AppError("CONFLICT", `licence ${licence.id} is already revoked`);
    const now = new Date();
    const [row] = await tx
      .update(billingLicences)
      .set({ status: "revoked", validTo: now, updatedAt: now })
      .where(eq(billingLicences.id, licence.id))
      .returning();
    const gone = await tx
      .delete(billingSeatAssignments)
      .where(eq(billingSeatAssignments.licenceId, licence.id))
      .returning({ holder: billingSeatAssignments.holder });
    await writeAudit(tx, actor, {
      action: "billing.licence.revoke",
      entityType: "licence",
      entityId: String(licence.id),
      before: { status: licence.status, holders: gone.map((g) => g.holder) },
      after: { status: "revoked", validTo: now },
    });
    return row!;
  });
}

/** Gives one seat to a holder (a user's email or `server:<id>`); refused when every seat is taken. */
export async function assignSeat(db: Db, actor: Actor, input: { licenceId: number; holder: string }): Promise<void> {
  const holder = input.holder.trim().toLowerCase();
  if (!holder) throw new AppError("BAD_REQUEST", "holder: a user's email or server:<id>", { field: "holder" });
  await db.transaction(async (tx) => {
    // The row lock serialises concurrent assignments, so two requests cannot take the last seat twice.
    const { licence, assigned } = await lockLicence(tx, input.licenceId);
    const [already] = await tx
      .select()
      .from(billingSeatAssignments)
      .where(and(eq(billingSeatAssignments.licenceId, licence.id), eq(billingSeatAssignments.holder, holder)));
    if (already) throw new AppError("CONFLICT", `${holder} already holds a seat of licence ${licence.id}`, { field: "holder" });
    assertSeatFree(licence, assigned);
    await tx.insert(billingSeatAssignments).values({ licenceId: licence.id, holder });
    await writeAudit(tx, actor, {
      action: "billing.seat.assign",
      entityType: "licence",
      entityId: String(licence.id),
      after: { holder, assigned: assigned + 1, seatCount: licence.seatCount },
    });
  });
}

export async function releaseSeat(db: Db, actor: Actor, input: { licenceId: number; holder: string }): Promise<void> {
  const holder = input.holder.trim().toLowerCase();
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(billingSeatAssignments)
      .where(and(eq(billingSeatAssignments.licenceId, input.licenceId), eq(billingSeatAssignments.holder, holder)))
      .returning();
    if (!gone.length) throw new AppError("NOT_FOUND", `${holder} holds no seat of licence ${input.licenceId}`, { field: "holder" });
    await writeAudit(tx, actor, { action: "billing.seat.release", entityType: "licence", entityId: String(input.licenceId), before: { holder } });
  });
}
