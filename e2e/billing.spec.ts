import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { signInWithLabOidc } from "./support/auth";

// Finance's day: usage collected from the demo lab, an invoice drafted from a licence, its lines
// downloaded as CSV. The catalogue rows are created through the API with unique codes.

async function call(page: Page, path: string, json: unknown) {
  const res = await page.request.post(`/api/trpc/billing.${path}`, { data: { json }, headers: { "x-sankofa-console": "1" } });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

test("finance signs in, sees usage and downloads an invoice CSV", async ({ page }) => {
  await signInWithLabOidc(page, "finance");
  const unique = `e2e-${Date.now().toString(36)}`;
  const org = (await call(page, "createOrg", { code: unique, name: `E2E ${unique}` })) as { id: number };
  const sku = (await call(page, "createSku", {
    code: `${unique}-win`,
    name: "Windows Server (e2e)",
    kind: "licence",
    externalSkuId: `${unique}-mkt-win`,
    unit: "seat-month",
    unitPriceMinor: 2350,
    currency: "EUR",
  })) as { id: number };
  await call(page, "createLicence", { skuId: sku.id, orgId: org.id, seatCount: 2, validFrom: "2020-01-01T00:00:00.000Z" });

  // Usage: yesterday (UTC) collected again on request, shown once the worker has run it.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const month = yesterday.slice(0, 7);
  await call(page, "recollectUsage", { day: yesterday });
  const url = `/it/billing?month=${month}&meter=cpu_hours&by=node`;
  await expect
    .poll(
      async () => {
        await page.goto(url);
        return page.getByTestId("usage-table").getByRole("cell", { name: yesterday, exact: true }).count();
      },
      { timeout: 60_000 },
    )
    .toBe(1);
  await expect(page.getByRole("heading", { name: "Billing" })).toBeVisible();
  // The same figures as a chart (recharts draws one line per node, a dot per day).
  await expect(page.getByTestId("usage-chart").locator(".recharts-line-dot").first()).toBeVisible();
  // Bandwidth came from the demo's Tenantos (its servers are bound to no org: unassigned), and the
  // servers whose ports keep no samples are named, not billed as zero.
  await page.goto(`/it/billing?month=${month}&meter=bandwidth_p95_mbps&by=org`);
  await expect(page.getByTestId("usage-table").getByRole("row").filter({ hasText: yesterday })).toContainText(/\d+\.\d{3}/);
  await expect(page.getByTestId("usage-warning-tenantos")).toContainText("No traffic samples for server(s) 203, 208 on their switch ports");

  // Draft the month's invoices, then download this org's invoice lines.
  await page.getByRole("button", { name: `Draft invoices for ${month}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "drafted" })).toBeVisible();
  const row = page.getByTestId("invoices-table").getByRole("row").filter({ hasText: unique });
  await expect(row).toContainText("47.00 EUR");
  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: /CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sankofa-invoice-\d+\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe(
    "schema_version,invoice_id,org_code,period_start_utc,period_end_utc,invoice_status,line,sku_code,external_sku_id,description,quantity_milli,unit_price_minor,amount_minor,currency,billed_by",
  );
  expect(csv).toContain(`${unique}-win,${unique}-mkt-win`);
  expect(csv).toContain(",2000,2350,4700,EUR,us");
});

test("a viewer cannot open billing or download its CSVs", async ({ page }) => {
  await signInWithLabOidc(page, "it-viewer");
  expect((await page.goto("/it/billing"))?.status()).toBe(403);
  expect((await page.request.get("/api/billing/export/invoices?periodStart=2026-11-01")).status()).toBe(403);
  expect((await page.request.get("/api/billing/export/ledger")).status()).toBe(403);
});
