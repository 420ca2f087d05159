import { expect, test } from "@playwright/test";
import { signInAsAdminByApi, signInWithLabOidc } from "./support/auth";

// The app under test runs the demo world (DEMO_LAB=on). Its first start catches up last night's
// scheduled backup (the scheduler queued for the schedule's last firing, run by the real worker)
// and seeds finance through the billing services.

test("Jobs shows last night's backup: the schedule's run and each switch's backup, with the backup to open", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsAdminByApi(page);
  // The default schedule, 03:00 UTC: its last firing before this run.
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 3));
  if (last > now) last.setUTCDate(last.getUTCDate() - 1);
  const night = `${last.toISOString().slice(0, 10)} 03:00 UTC`;
  const runRows = () => page.getByTestId("job-runs-table").getByRole("row");

  await expect(async () => {
    await page.goto("/it/jobs?task=backup-scheduler&outcome=succeeded");
    await expect(runRows().filter({ hasText: `backup-scheduler at ${night}` })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });

  // Filtered by the URL the form makes: the backups that run queued, succeeded, each linking its backup.
  const form = page.getByRole("search", { name: "Filter Finished runs" });
  await form.getByLabel("Task").selectOption("backup-switch");
  await form.getByLabel("Outcome").selectOption("succeeded");
  await form.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/task=backup-switch/);
  await expect(async () => {
    await page.reload();
    const runs = runRows().filter({ hasText: "backup-scheduler #" });
    await expect(runs).toHaveCount(2, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  const run = runRows().filter({ hasText: "backup-scheduler #" }).first();
  await expect(run).toContainText("succeeded");
  await expect(run).toContainText(/\d+(\.\d)? s|\d+ ms/);
  const link = run.getByRole("link", { name: /^backup #\d+$/ });
  expect(await link.getAttribute("href")).toMatch(/^\/api\/switches\/\d+\/backups\/\d+$/);
  const res = await page.request.get((await link.getAttribute("href"))!);
  expect(res.ok()).toBe(true);
  expect(await res.text()).toMatch(/^set /m);
  await expect(page.getByTestId("job-runs-table-range")).toContainText(/\d+–\d+ of \d+/);
});

test("the finance demo shows a draft invoice for this month and last month's issued one", async ({ page }) => {
  await signInWithLabOidc(page, "finance");
  await page.goto("/it/billing");
  const invoices = page.getByTestId("invoices-table");
  await expect(invoices.getByRole("row").filter({ hasText: "kofi-labs" }).filter({ hasText: "draft" })).not.toHaveCount(0);
  await expect(invoices.getByRole("row").filter({ hasText: "acme" }).filter({ hasText: "EUR" })).not.toHaveCount(0);
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  await page.goto(`/it/billing?month=${lastMonth}`);
  await expect(page.getByTestId("invoices-table").getByRole("row").filter({ hasText: "acme" }).filter({ hasText: "issued" })).toHaveCount(1);
  await page.goto("/it/licenses");
  await expect(page.getByRole("main")).toContainText("Windows Server Standard");
});
