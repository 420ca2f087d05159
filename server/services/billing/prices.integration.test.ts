import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { billingInvoiceLines, billingSkuPrices, billingUsageSamples } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { createOrg, createSku, updateSku } from "./catalogue";
import { draftInvoices } from "./invoices";

// Issue 25, point 3: "a day's usage is computed from what was recorded for that day (collections,
// prices in force then)". Before this, drafting priced every day with today's catalogue price.
const { db } = await createTestDatabase();
const finance = { id: "finance@test.sankofa" };
const today = new Date().toISOString().slice(0, 10);

const skuInput = {
  code: "ipv4",
  name: "IPv4 address",
  kind: "infra" as const,
  externalSkuId: "mkt-ipv4",
  unit: "address-day",
  unitPriceMinor: 100,
  currency: "USD",
  meter: "ipv4_count" as const,
};

describe("prices in force then", () => {
  it("keeps every price a SKU had, from the day it was set, whatever path set it", async () => {
    const sku = await createSku(db, finance, { ...skuInput, code: "history", externalSkuId: "mkt-history", kind: "licence" as const, meter: null });
    await updateSku(db, finance, sku.id, {
      ...skuInput,
      code: "history",
      externalSkuId: "mkt-history",
      kind: "licence" as const,
      meter: null,
      name: "renamed",
    });
    await updateSku(db, finance, sku.id, {
      ...skuInput,
      code: "history",
      externalSkuId: "mkt-history",
      kind: "licence" as const,
      meter: null,
      unitPriceMinor: 250,
    });
    const rows = await db.select().from(billingSkuPrices).where(eq(billingSkuPrices.skuId, sku.id)).orderBy(billingSkuPrices.validFrom);
    expect(rows.map((r) => [r.validFrom, r.unitPriceMinor, r.currency])).toEqual([
      ["-infinity", 100, "USD"],
      [today, 250, "USD"],
    ]);
  });

  it("prices June's days with June's prices, split at the change, and a later change leaves June as it was", async () => {
    const org = await createOrg(db, finance, { code: "acme", name: "Acme" });
    const sku = await createSku(db, finance, skuInput);
    await db.insert(billingUsageSamples).values(
      Array.from({ length: 30 }, (_, i) => ({
        source: "ipam" as const,
        object: "org:acme",
        meter: "ipv4_count" as const,
        period: `2026-06-${String(i + 1).padStart(2, "0")}`,
        orgId: org.id,
        quantityMilli: 1000,
        collectedAt: new Date(),
      })),
    );
    // The price went to 200 on 15 June. (The trigger dates a change by the day it is made; a change
    // made on 15 June is written here as that day's row.)
    await updateSku(db, finance, sku.id, { ...skuInput, unitPriceMinor: 200 });
    await db
      .update(billingSkuPrices)
      .set({ validFrom: "2026-06-15" })
      .where(and(eq(billingSkuPrices.skuId, sku.id), eq(billingSkuPrices.validFrom, today)));

    const june = { periodStart: "2026-06-01", periodEnd: "2026-06-30", bandwidthMode: "higher" as const };
    const first = await draftInvoices(db, finance, june);
    const mine = first.drafted.find((d) => d.org === "acme")!;
    expect(mine.totalMinor).toBe(14 * 100 + 16 * 200);
    const lines = await db.select().from(billingInvoiceLines).where(eq(billingInvoiceLines.invoiceId, mine.invoiceId)).orderBy(billingInvoiceLines.id);
    expect(lines.map((l) => [l.description, l.quantityMilli, l.unitPriceMinor])).toEqual([
      ["IPv4 address (address-day), 2026-06-01 to 2026-06-14", 14_000, 100],
      ["IPv4 address (address-day), 2026-06-15 to 2026-06-30", 16_000, 200],
    ]);

    // Today the price triples; June's re-draft still owes what June's prices said.
    await updateSku(db, finance, sku.id, { ...skuInput, unitPriceMinor: 600 });
    const again = await draftInvoices(db, finance, june);
    expect(again.drafted.find((d) => d.org === "acme")!.totalMinor).toBe(14 * 100 + 16 * 200);
  });
});
