import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";
import { expectNoSeriousAxeViolations } from "./support/axe";

// The app under test runs the demo world (DEMO_LAB=on): VLAN 120 "mgmt" exists, the lab cluster is
// collected at start, and no lab guest answers on 172.16.x.x. Unique per run: a retry against the
// same database plans another host on another prefix.
test("an admin edits a prefix, plans a move, and follows its status through a collection", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdminByApi(page);
  const n = 20 + (Date.now() % 200);
  const prefix = `172.16.${n}.0/24`;
  const host = `e2e-ipmi-${n}`;
  const target = `172.16.${n}.10`;

  // A prefix is added, then edited: it moves onto VLAN 120 and gets a gateway.
  await page.goto("/it/ipam");
  const add = page.getByRole("form", { name: "Add prefix" });
  await add.getByLabel("Prefix").fill(prefix);
  await add.getByRole("button", { name: "Add prefix" }).click();
  await expect(page.getByTestId("prefixes-table")).toContainText(prefix);
  await page.getByRole("link", { name: `Edit ${prefix}` }).click();
  const edit = page.getByRole("form", { name: `Edit prefix ${prefix}` });
  await edit.getByLabel("VLAN").selectOption("120");
  await edit.getByLabel("Gateway").fill(`172.16.${n}.1`);
  await edit.getByRole("button", { name: "Save prefix" }).click();
  await expect(edit.getByRole("status")).toHaveText("Saved.");
  const row = page.getByTestId("prefixes-table").getByRole("row").filter({ hasText: prefix });
  await expect(row).toContainText(`172.16.${n}.1`);
  await expect(row).toContainText("120");

  // A prefix holding addresses cannot be deleted, and the refusal says what holds it.
  await page.getByRole("button", { name: "Delete 192.168.11.0/24" }).click();
  await page.getByTestId("confirm-dialog").getByRole("button", { name: "Delete 192.168.11.0/24" }).click();
  await expect(page.getByTestId("confirm-dialog").getByRole("alert").filter({ hasText: "prefix 192.168.11.0/24 is in use" })).toBeVisible();
  await page.getByTestId("confirm-dialog").getByRole("button", { name: "Cancel" }).click();

  // The move: an out-of-band host onto the management VLAN, wave 1 by the rule.
  await page.goto("/it/vlans");
  const plan = page.getByRole("form", { name: "Plan a move" });
  await plan.getByLabel("Host").fill(host);
  await plan.getByLabel("Target address").fill(target);
  await plan.getByLabel("Target VLAN").selectOption("120");
  await plan.getByRole("button", { name: "Plan move" }).click();
  await expect(plan.getByRole("status")).toContainText(`${host} → ${target}`);
  const move = page.getByTestId("wave-1").getByTestId(`move-${host}`);
  await expect(move).toContainText("out-of-band host");

  // Ready once the demo's first collection is in (nothing answers on the target).
  await expect(async () => {
    await page.goto("/it/vlans");
    await expect(page.getByTestId(`move-${host}`)).toContainText("ready", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole("button", { name: `Start ${host}` }).click();
  await expect(page.getByTestId(`move-${host}`)).toContainText("in progress");
  await page.getByRole("button", { name: `Mark ${host} done` }).click();
  await expect(page.getByTestId(`move-${host}`)).toContainText("not checked yet");

  // A collection after the mark: the host is no guest answering on its target, so the move is flagged.
  await page.goto("/it/drift");
  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(async () => {
    await page.goto("/it/vlans");
    await expect(page.getByTestId(`move-${host}`)).toContainText("not live", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId(`move-${host}`)).toContainText(`${host} is not a guest in the latest collection`);
});

test("the utilization bars show each prefix's counts from the prefixes table", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/ipam");
  // The demo holds 192.168.11.0/24 with the declared addresses; other specs may add more, so read the table's figure.
  const prefix = "192.168.11.0/24";
  const row = page.getByTestId("prefixes-table").getByRole("row").filter({ hasText: prefix });
  const [used, size] = ((await row.getByText(/^\d+\/\d+$/).textContent()) ?? "").split("/").map(Number);
  expect(used).toBeGreaterThan(0);
  // The bar's label carries the table's own figure, and the figures table splits it in use / reserved / free.
  const chart = page.getByTestId("prefix-utilization");
  await expect(chart.locator("svg .recharts-bar-rectangle").first()).toBeVisible();
  // SVG text drops the spaces between its words (one tspan each): compare without them.
  const tick = chart.locator(".recharts-cartesian-axis-tick-value").filter({ hasText: prefix });
  await expect.poll(async () => (await tick.textContent())?.replace(/\s/g, "")).toBe(`${prefix}·${used}/${size}`);
  const figures = chart.getByTestId("prefix-utilization-figures").locator(`tr[data-prefix="${prefix}"] td`);
  const [inUse, reserved, free, assignable] = (await figures.allTextContents()).map(Number);
  expect(inUse! + reserved!).toBe(used);
  expect(free).toBe(size! - used!);
  expect(assignable).toBe(size);
  await expectNoSeriousAxeViolations(page, '[data-testid="prefix-utilization"]');
});
