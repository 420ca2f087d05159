import { expect, test } from "@playwright/test";
import { changeSettingsAsAdmin, signInAsAdminByApi } from "./support/auth";

// The app under test runs the demo world (playwright.config.ts: DEMO_LAB=on): pve-02's uplink
// (Tenantos server 205 = Proxmox node r630-04, lab-ex3400 ae1) is left for the console to push.
test("an admin previews a Proxmox node's uplink and pushes it from the console", async ({ page, browser }) => {
  test.setTimeout(60_000);
  await signInAsAdminByApi(page);
  // Other specs change the VLAN allowlist; this one needs every VLAN allowed.
  // (Another allowlist weakens safety: a second admin approves it.)
  await changeSettingsAsAdmin(page, browser, { vlanAllowlist: "" });
  await page.goto("/it/proxmox");
  await expect(page.getByTestId("node-r630-01")).toContainText("192.168.11.100");
  await expect(page.getByTestId("dedicated-servers")).toContainText("dedi-202");

  // r630-04 is Tenantos server 205 because an admin confirmed it (the demo seeds that confirmation).
  await expect(page.getByTestId("node-mapping-r630-04")).toContainText("confirmed by system:demo");
  await page.getByRole("link", { name: "Uplink of Tenantos server 205" }).click();
  const preview = page.getByTestId("port-preview");
  await expect(preview).toContainText("Proxmox node r630-04");
  await expect(preview).toContainText("ae1.0");
  const bindings = page.getByTestId("preview-bindings");
  await expect(bindings.locator('[data-change="add"]').filter({ hasText: "192.168.11.135" })).toContainText("bc:24:11:00:21:fd");
  // The EX3400 calls VLAN 11 `v11-infra`: the binding uses the switch's own name.
  await expect(bindings.locator('[data-change="add"]').filter({ hasText: "192.168.11.135" })).toContainText("v11-infra");
  // Each binding says where it comes from: the plan's provenance, as the push and the switch page have it.
  await expect(bindings.locator('[data-change="add"]').filter({ hasText: "192.168.11.135" }).getByTestId("preview-source")).toHaveText(
    /^Proxmox net\d+ of VMID \d+ on node r630-04/,
  );
  await expect(page.getByTestId("preview-skipped")).toContainText("no IP address in the guest config or from its agent");
  // VM 9001's 192.168.11.212 is VM 2102's too (a clone on another node): bound to nobody, both named.
  await expect(bindings.locator('[data-change="add"]').filter({ hasText: "192.168.11.212" })).toHaveCount(0);
  await expect(page.getByTestId("preview-skipped")).toContainText("IP 192.168.11.212 is claimed by VM 9001 (besu-rpc-2-clone) on r630-04 net0 and VM 2102");

  // Look before you act: the dialog repeats the preview's difference, then pushes on confirm.
  await page.getByRole("button", { name: "Push now" }).click();
  const confirm = page.getByTestId("confirm-dialog");
  await expect(confirm.getByTestId("confirm-changes")).toContainText("192.168.11.135");
  await confirm.getByRole("button", { name: "Push now" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole("status")).toContainText("Queued as job");
  // After the push, the switch's post-change backup holds the binding: nothing left to change.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("preview-in-sync")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(bindings.locator('[data-change="keep"]')).toHaveCount(1);

  await page.goto("/it/proxmox?server=203");
  await expect(page.getByTestId("preview-blocked")).toHaveText(
    "snmp_switch connection 2031 (device 101, port id 2031): related_data.meta.switchAutomation is off for this switch connection",
  );
});
