import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

// Issue 28, point 4: "Next free" proposes an address (a read) and claims it only on confirm;
// "Release" shows what changes and asks first. Cancel changes nothing.
test("Next free proposes, claims only the confirmed address; Release asks first", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/ipam");
  const prefix = "10.110.0.0/24";
  const nextFree = page.getByRole("button", { name: `Claim next free in ${prefix}`, exact: true });
  const dialog = page.getByTestId("confirm-dialog");

  const proposal = dialog.getByTestId("next-free-proposal");
  // A click before the page has hydrated does nothing: click again until the dialog answers.
  await expect(async () => {
    if (!(await dialog.isVisible())) await nextFree.click();
    await expect(proposal).toHaveText(/^10\.110\.0\.\d+$/, { timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  const address = (await proposal.textContent())!;
  // Cancel: nothing was claimed, so asking again proposes the same address.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await nextFree.click();
  await expect(proposal).toHaveText(address);
  await dialog.getByRole("button", { name: `Claim ${address}`, exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: `claimed ${address}` })).toBeVisible();

  await page.goto(`/it/ipam?q=${address}`);
  const row = page.getByTestId("addresses-table").getByRole("row").filter({ hasText: address });
  const release = page.getByRole("button", { name: `Release ${address}`, exact: true });
  await release.click();
  await expect(dialog.getByTestId("confirm-changes")).toContainText("released");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(row.first()).toContainText("planned");

  // Releasing through the edit form asks the same way, naming what the edit changes.
  await page.goto(`/it/ipam?tab=addresses&history=${address}`);
  const edit = page.getByRole("form", { name: `Edit ${address}` });
  await edit.getByLabel("Hostname").fill("going-away");
  await edit.getByLabel("Status").selectOption("released");
  await expect(async () => {
    if (!(await dialog.isVisible())) await edit.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByTestId("confirm-changes")).toContainText("released", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(dialog.getByTestId("confirm-changes")).toContainText("going-away");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.goto(`/it/ipam?q=${address}`);
  await expect(row.first()).toContainText("planned");

  await release.click();
  await dialog.getByRole("button", { name: `Release ${address}`, exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(release).toHaveCount(0);
});
