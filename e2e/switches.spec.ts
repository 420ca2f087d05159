import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

// The lab process (playwright.config.ts) runs a non-ELS switch on 127.0.0.1:3922.
test("an admin adds a switch, approves its host key, sets a port's bindings and sees the push", async ({ page }) => {
  test.setTimeout(60_000);
  await signInAsAdminByApi(page);
  await page.goto("/it/switches");
  const name = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Management address").fill("127.0.0.1");
  await page.getByLabel("SSH port").fill("3922");
  await page.getByLabel("Username (not root)").fill("sankofa");
  await page.getByLabel("Password", { exact: true }).fill("lab-switch-password");
  await page.getByRole("button", { name: "Add switch" }).click();
  const link = page.getByRole("link", { name });
  await expect(link).toBeVisible();
  await page.goto((await link.getAttribute("href"))!);

  // First contact runs as a job in the switch's queue and records the key for approval.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("host-key-alert")).toContainText("awaiting approval", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("button", { name: "Approve this key" }).click();
  await page.getByTestId("confirm-dialog").getByRole("button", { name: "Approve this key" }).click();
  await expect(page.getByText("Host key approved")).toBeVisible();

  await page.getByLabel("Port", { exact: true }).fill("ge-0/0/1");
  await page.getByLabel(/^Bindings/).fill("10.0.48.77 02:00:0a:00:30:4d VLAN.13\n10.0.48.78 bogus VLAN.13");
  // Asked first: the dialog lists the bindings the port ends up with; the refusal is shown there.
  await page.getByRole("button", { name: "Save and push" }).click();
  const confirm = page.getByTestId("confirm-dialog");
  await expect(confirm.getByTestId("confirm-changes")).toContainText("10.0.48.78");
  await confirm.getByRole("button", { name: "Save and push" }).click();
  await expect(confirm.getByRole("alert").filter({ hasText: "MAC address" })).toContainText('"bogus" is not a MAC address');
  await confirm.getByRole("button", { name: "Cancel" }).click();

  await page.getByLabel(/^Bindings/).fill("10.0.48.77 02:00:0a:00:30:4d VLAN.13");
  await page.getByRole("button", { name: "Save and push" }).click();
  await confirm.getByRole("button", { name: "Save and push" }).click();
  await expect(page.getByRole("status")).toContainText("Queued as job");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("pushes-table").getByText("committed")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByTestId("pushes-table").getByRole("button", { name: "Transcript" }).first().click();
  await expect(page.getByTestId("push-transcript")).toContainText("commit confirmed 5 comment chg-");
  await expect(page.getByTestId("push-compare")).toContainText("10.0.48.77");
  await expect(page.getByTestId("backups")).toContainText("pre-change");
  await expect(page.getByTestId("backups")).toContainText("post-change");
  const boxes = page.getByTestId("backups").getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await expect(page.getByTestId("backup-diff")).toContainText("+set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.77");

  // An admin's download carries the secrets, so it is audited.
  const href = (await page.getByTestId("backups").getByRole("link", { name: "Download" }).first().getAttribute("href"))!;
  expect((await page.request.get(href)).ok()).toBe(true);
  await page.goto(`/it/audit?entity=switch_backup`);
  await expect(page.getByTestId("audit-table")).toContainText("switch.backup_download");
  await page.goBack();

  await page.getByRole("button", { name: "Check drift now" }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("ports-table").getByRole("row").filter({ hasText: "ge-0/0/1.0" })).toContainText("in sync", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});
