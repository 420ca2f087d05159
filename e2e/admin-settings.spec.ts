import { expect, test } from "@playwright/test";
import { approveAsSecondAdmin, signInAsAdminByApi } from "./support/auth";
import { E2E_ADMIN } from "./support/constants";

test("the bootstrap admin signs in with the form and sees a healthy console", async ({ page }) => {
  await page.goto("/it");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fit/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/it$/);
  await expect(page.getByTestId("health-database")).toContainText("healthy");
  await expect(page.getByTestId("health-worker")).toContainText("healthy");
  for (const area of [
    "IPAM",
    "VLANs",
    "Port map",
    "Proxmox",
    "Hosts",
    "Switches",
    "Virtual MACs",
    "Drift",
    "Provisioning",
    "Licenses",
    "Billing",
    "Approvals",
    "Jobs",
    "Audit",
    "Settings",
  ]) {
    await expect(page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: new RegExp(`^${area}`) })).toBeVisible();
  }
  await page.getByRole("link", { name: /^Licenses/ }).click();
  await expect(page.getByRole("heading", { name: "Licenses" })).toBeVisible();
});

test("a wrong password is refused", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toContainText("Wrong email or password");
  expect((await page.request.get("/api/auth/session").then((r) => r.json())) ?? {}).not.toHaveProperty("user");
});

test("an admin changes the VLAN allowlist, a second admin approves it, and the change is in the audit log", async ({ page, browser }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/settings");
  const allowlist = page.getByLabel("VLAN allowlist");

  await allowlist.fill("13, abc");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "VLAN allowlist" })).toContainText('"abc" is not a VLAN ID');

  // The e2e database is made fresh for every run (playwright.config.ts), so fixed values are this run's own.
  const a = 1234;
  const vlans = [a, a + 1000].sort((x, y) => x - y);
  await allowlist.fill(`${vlans[1]}, ${vlans[0]}`);
  await page.getByLabel("Ticket (optional)").fill("E2E-42");
  await page.getByRole("button", { name: "Save settings" }).click();
  // Another allowlist weakens safety: it waits for a second admin and changes nothing yet.
  await expect(page.getByRole("status")).toContainText("Waits for a second admin");
  await page.reload();
  await expect(allowlist).not.toHaveValue(vlans.join(", "));
  const pending = await page.request.get(`/api/trpc/approvals.list?input=${encodeURIComponent(JSON.stringify({ json: { status: "pending" } }))}`);
  const rows = ((await pending.json()) as { result: { data: { json: Array<{ id: number; summary: string }> } } }).result.data.json;
  const approval = rows.find((r) => r.summary.includes(vlans.join(", ")))!;
  await approveAsSecondAdmin(browser, approval.id);
  await page.reload();
  await expect(allowlist).toHaveValue(vlans.join(", "));

  await page.goto("/it/audit?entity=setting%3AvlanAllowlist");
  const row = page
    .getByTestId("audit-table")
    .getByRole("row")
    .filter({ hasText: `[${vlans.join(",")}]` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(E2E_ADMIN.email);
  await expect(row).toContainText("settings.update");
  await expect(row).toContainText("E2E-42");
});

test("an admin tests the Tenantos connection without ever seeing its key", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/settings");
  const tenantos = page.getByRole("form", { name: "Tenantos (billing panel)" });
  await expect(tenantos.getByLabel("API key")).toHaveValue("");
  await expect(tenantos.getByLabel("API key")).toHaveAttribute("placeholder", /stored/);
  await tenantos.getByRole("button", { name: "Test connection" }).click();
  await expect(tenantos.getByRole("status")).toContainText("accepted the API key");
  await tenantos.getByLabel("API key").fill("wrong-key");
  await tenantos.getByRole("button", { name: "Test connection" }).click();
  await expect(tenantos.getByRole("status")).toContainText("Tenantos refused the API key (401)");
});
