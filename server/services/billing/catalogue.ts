import { eq } from "drizzle-orm";
import { billingObjectOrgs, billingOrgs, billingSkus, type BillingMeter, type BillingOrgRow, type BillingSkuRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import type { Db } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";

export interface SkuInput {
  code: string;
  name: string;
  kind: "infra" | "licence";
  externalSkuId: string;
  stripePriceId?: string | null;
  unit: string;
  unitPriceMinor: number;
  currency: string;
  meter?: BillingMeter | null;
  grantsGroup?: string | null;
  isActive?: boolean;
}

// Unique columns a second SKU may not repeat, with the field a form shows the error on.
const UNIQUE_SKU_FIELDS = { code: "code", externalSkuId: "externalSkuId", stripePriceId: "stripePriceId" } as const;

function cleanSku(input: SkuInput) {
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new AppError("BAD_REQUEST", `currency: "${input.currency}" is not an ISO 4217 code like EUR`, { field: "currency" });
  if (!Number.isSafeInteger(input.unitPriceMinor) || input.unitPriceMinor < 0)
    throw new AppError("BAD_REQUEST", `price: ${input.unitPriceMinor} is not a whole number of minor units (cents) ≥ 0`, { field: "unitPriceMinor" });
  if (input.kind === "infra" && !input.meter) throw new AppError("BAD_REQUEST", "an infra SKU says what it meters", { field: "meter" });
  if (input.grantsGroup && !input.grantsGroup.startsWith("/"))
    throw new AppError("BAD_REQUEST", `grants group: "${input.grantsGroup}" is not a Keycloak group path (/…)`, { field: "grantsGroup" });
  return { ...input, currency, stripePriceId: input.stripePriceId || null, meter: input.meter ?? null, grantsGroup: input.grantsGroup || null };
}

async function assertSkuUnique(tx: Pick<Db, "select">, sku: ReturnType<typeof cleanSku>, exceptId?: number) {
  for (const [key, field] of Object.entries(UNIQUE_SKU_FIELDS) as Array<[keyof typeof UNIQUE_SKU_FIELDS, string]>) {
    const value = sku[key];
    if (!value) continue;
    const [taken] = await tx.select({ id: billingSkus.id, code: billingSkus.code }).from(billingSkus).where(eq(billingSkus[key], value));
    if (taken && taken.id !== exceptId) throw new AppError("CONFLICT", `${field} "${value}" is already SKU ${taken.code}'s`, { field });
  }
}

export async function createSku(db: Db, actor: Actor, input: SkuInput): Promise<BillingSkuRow> {
  const sku = cleanSku(input);
  return db.transaction(async (tx) => {
    await assertSkuUnique(tx, sku);
    const [row] = await tx.insert(billingSkus).values(sku).returning();
    await writeAudit(tx, actor, { action: "billing.sku.create", entityType: "sku", entityId: row!.code, after: row });
    return row!;
  });
}

export async function updateSku(db: Db, actor: Actor, id: number, input: SkuInput): Promise<BillingSkuRow> {
  const sku = cleanSku(input);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(billingSkus).where(eq(billingSkus.id, id)).for("update");
    if (!before) throw new AppError("NOT_FOUND", `SKU ${id} does not exist`);
    await assertSkuUnique(tx, sku, id);
    const [row] = await tx
      .update(billingSkus)
      .set({ ...sku, updatedAt: new Date() })
      .where(eq(billingSkus.id, id))
      .returning();
    await writeAudit(tx, actor, { action: "billing.sku.update", entityType: "sku", entityId: row!.code, before, after: row });
    return row!;
  });
}

export async function createOrg(db: Db, actor: Actor, input: { code: string; name: string; stripeCustomerId?: string | null }): Promise<BillingOrgRow> {
  const code = input.code.trim();
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(code))
    throw new AppError("BAD_REQUEST", `org code "${input.code}": lower-case letters, digits and dashes`, { field: "code" });
  return db.transaction(async (tx) => {
    const [taken] = await tx.select().from(billingOrgs).where(eq(billingOrgs.code, code));
    if (taken) throw new AppError("CONFLICT", `org ${code} exists`, { field: "code" });
    if (input.stripeCustomerId) {
      const [other] = await tx.select().from(billingOrgs).where(eq(billingOrgs.stripeCustomerId, input.stripeCustomerId));
      if (other) throw new AppError("CONFLICT", `Stripe customer ${input.stripeCustomerId} is org ${other.code}'s`, { field: "stripeCustomerId" });
    }
    const [row] = await tx
      .insert(billingOrgs)
      .values({ code, name: input.name.trim(), stripeCustomerId: input.stripeCustomerId || null })
      .returning();
    await writeAudit(tx, actor, { action: "billing.org.create", entityType: "org", entityId: code, after: row });
    return row!;
  });
}

/** Binds a metered object (`vmid:101`, `server:7`) to an org, so its usage is billed there. */
export async function bindObjectToOrg(db: Db, actor: Actor, input: { object: string; orgId: number }): Promise<void> {
  if (!/^(vmid|server):\d+$/.test(input.object))
    throw new AppError("BAD_REQUEST", `object "${input.object}" is not vmid:<n> or server:<n>`, { field: "object" });
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(billingObjectOrgs).where(eq(billingObjectOrgs.object, input.object));
    await tx
      .insert(billingObjectOrgs)
      .values(input)
      .onConflictDoUpdate({ target: billingObjectOrgs.object, set: { orgId: input.orgId } });
    await writeAudit(tx, actor, { action: "billing.object.bind", entityType: "billing_object", entityId: input.object, before: before ?? null, after: input });
  });
}
