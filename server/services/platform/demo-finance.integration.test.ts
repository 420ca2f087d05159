import { afterAll, describe, expect, it } from "vitest";
import { billingUsageSamples } from "@/drizzle/schema";
import { buildDemoProxmoxWorld, buildDemoTenantosWorld } from "@/lab/demo-world";
import { startLabProxmox } from "@/lab/proxmox";
import { startLabTenantos } from "@/lab/tenantos";
import { listInvoices, listLicences } from "@/server/services/billing/queries";
import { createTestDatabase } from "@/server/testing/database";
import { buildFinance, callerFor } from "@/server/testing/factories";
import { seedDemoFinance } from "./demo-finance";

const { db } = await createTestDatabase();
const tenantos = await startLabTenantos({ world: buildDemoTenantosWorld({ ex4200: "127.0.0.1", ex3400: "127.0.0.1" }) });
const pve = await startLabProxmox({ world: buildDemoProxmoxWorld() });
afterAll(async () => {
  await Promise.all([tenantos.close(), pve.close()]);
});

describe("the demo's finance side", () => {
  it("gives finance organisations, licences with seats, usage read from the lab and invoices the app computed, once", async () => {
    const refs = { tenantos: { url: tenantos.url, apiKey: tenantos.apiKey }, proxmox: { url: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret } };
    const now = new Date();
    await seedDemoFinance(db, { id: "system:demo" }, refs, now);
    await seedDemoFinance(db, { id: "system:demo" }, refs, now);

    const finance = callerFor(db, buildFinance());
    const licences = await listLicences(db);
    expect(licences.map((l) => [l.orgCode, l.skuCode, l.seatCount, l.assigned]).sort()).toEqual([
      ["acme", "win-server", 3, 2],
      ["kofi-labs", "grafana-seat", 5, 2],
    ]);
    const samples = await db.select().from(billingUsageSamples);
    expect(samples.length).toBeGreaterThan(0);

    const invoices = await listInvoices(db);
    const thisMonth = `${now.toISOString().slice(0, 7)}-01`;
    const drafts = invoices.filter((i) => i.invoice.status === "draft" && i.invoice.periodStart === thisMonth);
    expect(drafts.map((d) => d.orgCode).sort()).toEqual(["acme", "kofi-labs"]);
    const issued = invoices.filter((i) => i.invoice.status === "issued");
    expect(issued.map((i) => i.orgCode)).toEqual(["acme"]);
    // The issued total is what its lines add up to, as the billing page reads it.
    const detail = await finance.billing.invoice({ id: issued[0]!.invoice.id });
    expect(detail.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(detail.invoice.totalMinor);
    // Acme's licence is a line of its own: 3 seats × 23.50 EUR.
    expect(detail.lines.map((l) => l.amountMinor)).toContain(3 * 2350);
  });
});
