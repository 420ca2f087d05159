import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { billingInvoiceLines, billingInvoices } from "@/drizzle/schema";
import { parseMinorDecimal } from "@/lib/billing/accounting-export";
import { computeInvoice, type LineInput } from "@/lib/billing/money";
import { createTestDatabase } from "@/server/testing/database";
import { createOrg, createSku } from "./catalogue";
import { handleBillingExport } from "./export";
import { createCreditNote, issueInvoice } from "./invoices";

// Issue 25, point 8b: invoices in QuickBooks Online's and NetSuite's import formats, from the one
// query behind today's invoice-lines CSV. The kinds did not exist before (these tests failed).
const { db, sql: pg } = await createTestDatabase();
const finance = { id: "finance@test.sankofa" };

async function invoice(orgId: number, lines: LineInput[], isIssued: boolean) {
  const [periodStart, periodEnd] = ["2026-10-01", "2026-10-31"];
  const priced = computeInvoice(lines);
  const [inv] = await db.insert(billingInvoices).values({ orgId, periodStart, periodEnd, currency: "EUR", totalMinor: priced.totalMinor }).returning();
  await db.insert(billingInvoiceLines).values(priced.lines.map((l) => ({ ...l, invoiceId: inv!.id })));
  return isIssued ? issueInvoice(db, finance, inv!.id) : inv!;
}

async function download(kind: string, q: Record<string, string>) {
  const res = handleBillingExport(pg, kind, new URLSearchParams(q))!;
  expect(res.status).toBe(200);
  return parse(await res.text(), { columns: true }) as Array<Record<string, string>>;
}

function sumBy(rows: Array<Record<string, string>>, key: (r: Record<string, string>) => string, amount: (r: Record<string, string>) => number) {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0) + amount(r));
  return Object.fromEntries([...totals].sort());
}

describe("accounting exports", () => {
  it("give the same total per invoice as today's invoices and invoice-lines CSVs, for the period's issued invoices", async () => {
    const a = await createOrg(db, finance, { code: "acme", name: '=Acme, "the" Company' });
    const b = await createOrg(db, finance, { code: "beta", name: "Beta Ltd" });
    const c = await createOrg(db, finance, { code: "gamma", name: "Gamma" });
    const sku = await createSku(db, finance, {
      code: "vcpu-hour",
      name: "vCPU hour",
      kind: "infra",
      externalSkuId: "mkt-vcpu",
      unit: "h",
      unitPriceMinor: 45,
      currency: "EUR",
      meter: "cpu_hours",
    });
    const seat = await createSku(db, finance, {
      code: "seat",
      name: "Seat",
      kind: "licence",
      externalSkuId: "mkt-seat",
      unit: "seat",
      unitPriceMinor: 2500,
      currency: "EUR",
    });
    const one = await invoice(
      a.id,
      [
        { skuId: sku.id, description: "vCPU hours, October", quantityMilli: 720_500, unitPriceMinor: 45 },
        { skuId: seat.id, description: "Seats", quantityMilli: 3000, unitPriceMinor: 2500 },
        { skuId: seat.id, description: "Seats Stripe bills", quantityMilli: 2000, unitPriceMinor: 0, billedBy: "stripe" },
      ],
      true,
    );
    const two = await invoice(b.id, [{ skuId: sku.id, description: 'vCPU hours\nmultiline, "quoted"', quantityMilli: 1, unitPriceMinor: 45 }], true);
    const drafted = await invoice(c.id, [{ skuId: sku.id, description: "not issued", quantityMilli: 1000, unitPriceMinor: 45 }], false);
    await createCreditNote(db, finance, { invoiceId: one.id, amountMinor: 100, reason: "goodwill" });

    const invoices = await download("invoices", { periodStart: "2026-10-01" });
    const issuedTotals = Object.fromEntries(
      invoices
        .filter((r) => r.status === "issued" && !r.corrects_invoice_id)
        .map((r) => [r.invoice_id!, Number(r.total_minor)] as const)
        .sort(),
    );
    expect(Object.keys(issuedTotals).sort()).toEqual([String(one.id), String(two.id)].sort());

    const qbo = await download("quickbooks", { periodStart: "2026-10-01" });
    const netsuite = await download("netsuite", { periodStart: "2026-10-01" });
    const lines = [...(await download("invoice", { id: String(one.id) })), ...(await download("invoice", { id: String(two.id) }))];

    expect(
      sumBy(
        qbo,
        (r) => r.InvoiceNo!,
        (r) => parseMinorDecimal(r.ItemAmount!),
      ),
    ).toEqual(issuedTotals);
    expect(
      sumBy(
        netsuite,
        (r) => r["External ID"]!.replace("sankofa-invoice-", ""),
        (r) => parseMinorDecimal(r.Amount!),
      ),
    ).toEqual(issuedTotals);
    expect(
      sumBy(
        lines,
        (r) => r.invoice_id!,
        (r) => Number(r.amount_minor),
      ),
    ).toEqual(issuedTotals);

    // Only what we bill (Stripe's own lines, drafts and credit notes are other imports or none).
    expect(qbo).toHaveLength(3);
    expect(netsuite.map((r) => r["External ID"])).not.toContain(`sankofa-invoice-${drafted.id}`);
    const issuedOn = (await db.select().from(billingInvoices))
      .find((i) => i.id === one.id)!
      .issuedAt!.toISOString()
      .slice(0, 10);
    const [y, m, d] = issuedOn.split("-");
    expect(qbo[0]).toMatchObject({
      InvoiceNo: String(one.id),
      Customer: '\'=Acme, "the" Company',
      InvoiceDate: `${m}/${d}/${y}`,
      "Item(Product/Service)": "vcpu-hour",
      ItemQuantity: "720.5",
      ItemRate: "0.45",
      ItemAmount: "324.23",
    });
    expect(netsuite.find((r) => r["External ID"] === `sankofa-invoice-${two.id}`)).toMatchObject({
      Description: 'vCPU hours\nmultiline, "quoted"',
      Quantity: "0.001",
      Amount: "0.00",
    });
  });

  it("refuses a bad period before the download starts", () => {
    expect(() => handleBillingExport(pg, "quickbooks", new URLSearchParams({ periodStart: "2026-13-01" }))).toThrow("periodStart");
    expect(() => handleBillingExport(pg, "netsuite", new URLSearchParams({}))).toThrow("periodStart");
  });
});
