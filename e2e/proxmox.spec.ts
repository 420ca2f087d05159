import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

// The app under test runs the demo world (playwright.config.ts: DEMO_LAB=on): pve-02's uplink
// (Tenantos server 205, lab-ex3400 ae1) is left for the console to push.
test("an admin previews a Proxmox node's uplink and pushes it from the console", async ({ page }) => {
  test.setTimeout(60_000);
  await signInAsAdminByApi(page);
  // Other specs change the VLAN allowlist; this one needs every VLAN allowed (VLAN 99 included).
  expect((await page.request.post("/api/trpc/settings.update", { data: { json: { vlanAllowlist: "" } } })).ok()).toBe(true);
  await page.goto("/it/proxmox");
  await expect(page.getByTestId("node-pve-01")).toContainText("10.11.0.101");
  await expect(page.getByTestId("dedicated-servers")).toContainText("dedi-202");

  await page.getByRole("link", { name: "Preview uplink (server 205)" }).click();
  const preview = page.getByTestId("port-preview");
  await expect(preview).toContainText("Proxmox node pve-02");
  await expect(preview).toContainText("ae1.0");
  const bindings = page.getByTestId("preview-bindings");
  await expect(bindings.locator('[data-change="add"]').filter({ hasText: "10.11.0.121" })).toContainText("bc:24:11:22:01:00");
  await expect(bindings.locator('[data-change="add"]').filter({ hasText: "10.99.0.122" })).toContainText("VLAN.99");
  await expect(page.getByTestId("preview-skipped")).toContainText("no IP address in the guest config or from its agent");

  await page.getByRole("button", { name: "Push now" }).click();
  await expect(page.getByRole("status")).toContainText("Queued as job");
  // After the push, the switch's post-change backup holds both bindings: nothing left to change.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("preview-in-sync")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(bindings.locator('[data-change="keep"]')).toHaveCount(2);

  await page.goto("/it/proxmox?server=203");
  await expect(page.getByTestId("preview-blocked")).toHaveText("switchAutomation is off for the server's switch connection");
});
