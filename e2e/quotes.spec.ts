import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { signInWithLabOidc } from "./support/auth";

// Finance's quote (issue 25, point 8): drafted on /it/billing from the catalogue, sent, accepted
// (a licence appears), and downloaded as the PDF the customer gets.

async function call(page: Page, path: string, json: unknown) {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json }, headers: { "x-sankofa-console": "1" } });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

test("finance drafts a quote from the catalogue, sends it, accepts it and downloads its PDF", async ({ page }) => {
  await signInWithLabOidc(page, "finance");
  const unique = `q-${Date.now().toString(36)}`;
  await call(page, "billing.createOrg", { code: unique, name: `Quote ${unique}` });
  await call(page, "billing.createSku", {
    code: `${unique}-seat`,
    name: "Console seat (e2e)",
    kind: "licence",
    externalSkuId: `${unique}-mkt-seat`,
    unit: "seat",
    unitPriceMinor: 2500,
    currency: "EUR",
  });
  await page.goto("/it/billing");
  const form = page.getByRole("form", { name: "New quote" });
  await form.getByLabel("Organisation").selectOption({ label: `${unique} — Quote ${unique}` });
  await form.getByLabel("Line 1 SKU").selectOption({ label: `${unique}-seat (25.00 EUR / seat)` });
  await form.getByLabel("Line 1: quantity").fill("3");
  await form.getByLabel("Currency").fill("EUR");
  await form.getByRole("button", { name: "Create draft quote" }).click();

  const row = page.getByTestId("quotes").getByRole("row").filter({ hasText: unique });
  await expect(row).toContainText("75.00 EUR");
  await expect(row).toContainText("draft");
  // Each move asks first, showing the status before → after; Accept also the licence it creates.
  await row.getByRole("button", { name: /^Send quote/ }).click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog.getByTestId("confirm-changes")).toContainText(/draft\s*→\s*sent/);
  await dialog.getByRole("button", { name: /^Mark quote Q-\d{5} sent$/ }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("sent");
  await row.getByRole("button", { name: /^Accept quote/ }).click();
  await expect(dialog.getByTestId("confirm-changes")).toContainText(/sent\s*→\s*accepted/);
  await expect(dialog.getByTestId("confirm-changes")).toContainText(new RegExp(`new licence: ${unique}-seat\\s*3 seat\\(s\\)`));
  // Cancel changes nothing; confirming accepts.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("sent");
  await row.getByRole("button", { name: /^Accept quote/ }).click();
  await dialog.getByRole("button", { name: /^Accept quote Q-\d{5}$/ }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("accepted");

  const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("link", { name: /PDF/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sankofa-quote-Q-\d{5}\.pdf$/);
  expect((await readFile((await download.path())!)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  // The licence the acceptance created: 3 seats of the SKU for the org.
  const res = await page.request.get("/api/trpc/billing.licences", { headers: { "x-sankofa-console": "1" } });
  expect(res.ok()).toBe(true);
  const licences = ((await res.json()) as { result: { data: { json: Array<{ skuCode: string; seatCount: number }> } } }).result.data.json;
  expect(licences.find((l) => l.skuCode === `${unique}-seat`)?.seatCount).toBe(3);
});
