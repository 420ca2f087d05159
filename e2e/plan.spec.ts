import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

// The demo world: VM 9001 on r630-04 (lab-ex3400 ae1) is a clone that kept 192.168.11.212, the
// address of VM 2102 on r630-02. One plan answers everywhere: never bound, every claimant named.
test("the demo's duplicate is shown as skipped in the Apply All preview, on the switch page and in Why; a port's provenance is visible", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsAdminByApi(page);
  await page.goto("/it/switches");

  // Apply All shows before it acts; cancelled here, so the other specs find the switches as they were.
  await page.getByRole("button", { name: "Apply All…" }).click();
  const preview = page.getByTestId("apply-all-preview-lab-ex3400");
  await expect(preview).toContainText("192.168.11.212", { timeout: 30_000 });
  await expect(preview.getByTestId("plan-left-out").filter({ hasText: "192.168.11.212" })).toContainText("duplicate: skipped");
  await expect(preview.getByTestId("plan-left-out").filter({ hasText: "192.168.11.212" }).first()).toContainText("VM 9001 (besu-rpc-2-clone) on r630-04 net0");
  await expect(page.getByRole("button", { name: /^Confirm: apply to \d+ switches$/ })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("link", { name: "lab-ex3400" }).first().click();
  const ae1 = page.getByTestId("plan-port-ae1.0");
  await expect(ae1.getByTestId("plan-left-out").filter({ hasText: "192.168.11.212" })).toContainText("duplicate: skipped");
  // Provenance: where each desired binding comes from.
  await expect(ae1.getByTestId("plan-binding").filter({ hasText: "192.168.11.135" })).toContainText("Proxmox net0 of VMID 8701 on node r630-04");

  await page.goto("/it/why?ip=192.168.11.212");
  await expect(page.getByTestId("why-summary")).toContainText("left out");
  await expect(page.getByTestId("why-summary")).toContainText("VM 9001 (besu-rpc-2-clone) on r630-04 net0");
});
