import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

test("the navigation is grouped, marks where you are, and the breadcrumbs name the group", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/it/switches");
  const nav = page.getByRole("navigation", { name: "Sections" });
  for (const group of ["Network", "Inventory", "Operations", "Billing", "Admin"]) await expect(nav.getByRole("group", { name: group })).toBeVisible();
  await expect(nav.getByRole("group", { name: "Network" }).getByRole("link", { name: "Switches" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("group", { name: "Inventory" }).getByRole("link", { name: "IPAM" })).toBeVisible();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs).toHaveText(/Network\s*›\s*Switches/);
  await nav.getByRole("link", { name: "Audit" }).click();
  await expect(crumbs).toHaveText(/Admin\s*›\s*Audit/);
});

test("at 390 px the navigation opens from the top bar and the page does not scroll sideways", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/it");
  const nav = page.getByRole("navigation", { name: "Sections" });
  await expect(nav).toBeHidden();
  const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
  expect(width.scroll).toBeLessThanOrEqual(width.view);
  await page.getByRole("button", { name: "Open navigation" }).click();
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: "Jobs" }).click();
  await expect(page).toHaveURL(/\/it\/jobs$/);
  await expect(nav).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toHaveText(/Operations\s*›\s*Jobs/);
});
