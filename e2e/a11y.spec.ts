import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { changeSettingsAsAdmin, signInAsAdminByApi } from "./support/auth";
import { createDemoProvisioningJob, expandItRoutes, findDemoSwitchId, listItRoutePatterns, type DemoIds } from "./support/it-pages";

// Issue 28, point 8: every /it page of the demo world, scanned by axe (WCAG 2.1 A and AA rules);
// no serious or critical violation. And at 390 px (a phone during an outage): the navigation
// opens and no page scrolls sideways. The page list comes from the app directory.

let urls: string[] = [];

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsAdminByApi(page);
  const ids: DemoIds = {
    switchId: await findDemoSwitchId(page),
    provisioningJobId: await createDemoProvisioningJob(page, (form) => changeSettingsAsAdmin(page, browser, form)),
  };
  const expanded = expandItRoutes(ids);
  const patterns = listItRoutePatterns();
  // A page the app has but this list does not show would go unscanned: fail instead.
  expect(patterns.filter((p) => !(p in expanded))).toEqual([]);
  urls = patterns.flatMap((p) => expanded[p]!);
  await context.close();
});

/** Waits for the page's data (client panels load after the first paint). */
async function openSettled(page: Page, url: string): Promise<void> {
  const res = await page.goto(url);
  expect(res?.status(), url).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
}

test("no /it page has a serious or critical axe violation", async ({ page }) => {
  test.setTimeout(480_000);
  await signInAsAdminByApi(page);
  const found: string[] = [];
  for (const url of urls) {
    await openSettled(page, url);
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    for (const v of violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
      found.push(
        `${url}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(" | ")}`,
      );
    }
  }
  expect(found).toEqual([]);
});

test.describe("at 390 px", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the navigation opens and takes the reader to another page", async ({ page }) => {
    await signInAsAdminByApi(page);
    await page.goto("/it");
    const nav = page.locator("#it-navigation");
    await expect(nav).toBeHidden();
    await page.getByRole("button", { name: "Open navigation" }).click();
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "IPAM" }).click();
    await expect(page).toHaveURL(/\/it\/ipam$/);
    await expect(nav).toBeHidden();
  });

  test("no /it page scrolls sideways; wide tables scroll inside their own box", async ({ page }) => {
    test.setTimeout(480_000);
    await signInAsAdminByApi(page);
    const wide: string[] = [];
    for (const url of urls) {
      await openSettled(page, url);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${url}: ${width} px`);
    }
    expect(wide).toEqual([]);
    // The IPAM addresses table (its own tab) is wider than a phone: it scrolls in its container, not the page.
    await openSettled(page, "/it/ipam?tab=addresses");
    const box = page.locator('[data-slot="table-container"]').filter({ has: page.getByTestId("addresses-table") });
    const scroll = await box.evaluate((el) => ({ inner: el.scrollWidth, outer: el.clientWidth, overflow: getComputedStyle(el).overflowX }));
    expect(scroll.overflow).toBe("auto");
    expect(scroll.inner).toBeGreaterThan(scroll.outer);
  });
});
