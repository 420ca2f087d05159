import { expect, test } from "@playwright/test";
import { signInAsAdminByApi, signInWithLabOidc } from "./support/auth";
import { E2E_EVENT_TOKEN } from "./support/constants";

test("Tenantos's event door stores events and the console shows what became of them", async ({ page, request }) => {
  // No such server in the demo panel; the e2e database is fresh every run, so the id is this test's own.
  const serverId = 424_242;
  const door = (data: unknown, token = E2E_EVENT_TOKEN) => request.post("/api/port-security/event", { data, headers: { authorization: `Bearer ${token}` } });

  expect((await door({ action: "ip_assigned", serverId, ip: "10.0.48.6" }, "wrong-token")).status()).toBe(401);
  const bad = await door({ action: "ip_assigned", serverId: "x1", ip: "10.0.48.6" });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("serverId");
  const ok = await door({ action: "ip_assigned", serverId, ip: "10.0.48.6" });
  expect(ok.status()).toBe(202);

  await signInAsAdminByApi(page);
  // The demo panel has no such server: the event is kept and marked skipped, saying why.
  await expect(async () => {
    await page.goto(`/it/port-security?server=${serverId}`);
    await expect(page.getByTestId("events-table")).toContainText("skipped", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("events-table")).toContainText(`server ${serverId} does not exist in Tenantos`);
  await expect(page.getByTestId("demo-notice")).toBeVisible();
});

test("an admin creates a virtual MAC; releasing it waits for a second admin, who approves", async ({ page, browser }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/virtual-macs");
  const last = 77;
  const ip = `10.0.77.${last}`;
  await page.getByLabel("IP", { exact: true }).fill(ip);
  await page.getByLabel("Tenantos server id").fill("4242");
  await page.getByRole("button", { name: "Create VMAC" }).click();
  const mac = `02:00:0a:00:4d:${last.toString(16).padStart(2, "0")}`;
  await expect(page.getByRole("status")).toContainText(`${ip} → ${mac}`);
  const row = page.getByTestId("vmacs-table").getByRole("row").filter({ hasText: ip });
  await expect(row).toContainText(mac);
  await row.getByRole("button", { name: "Release" }).click();
  // Asked first: the dialog names the VMAC that goes; Cancel changes nothing.
  const confirm = page.getByTestId("confirm-dialog");
  await expect(confirm.getByTestId("confirm-changes")).toContainText(mac);
  await confirm.getByRole("button", { name: `Release ${ip}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "second admin" })).toBeVisible();
  await expect(page.getByTestId("vmacs-table").getByRole("row").filter({ hasText: ip })).toHaveCount(1);

  // Another admin (the lab Keycloak's it-admin) approves it on /it/approvals.
  const second = await browser.newContext();
  const other = await second.newPage();
  await signInWithLabOidc(other, "it-admin");
  await other.goto("/it/approvals");
  const request = other
    .getByTestId("approvals-table")
    .getByRole("row")
    .filter({ hasText: `release the VMAC of ${ip}` });
  await request.getByRole("button", { name: "Approve" }).click();
  await other
    .getByTestId("confirm-dialog")
    .getByRole("button", { name: /^Approve #\d+$/ })
    .click();
  await expect(request).toContainText("applied");
  await second.close();

  await page.reload();
  await expect(page.getByTestId("vmacs-table").getByRole("row").filter({ hasText: ip })).toHaveCount(0);
  await expect(page.getByTestId("vmac-events").getByRole("row").filter({ hasText: ip }).filter({ hasText: "released" })).toHaveCount(1);
});
