import { expect, test } from "@playwright/test";
import { approveAsSecondAdmin, changeSettingsAsAdmin, signInAsAdminByApi } from "./support/auth";

// The demo world's dev-sandbox VM (lab/inventory/world.ts): a reboot leaves it as other specs expect it.
const NODE = "r630-04";
const VMID = 8700;

test("an admin plans a reboot (dry run, nothing sent), requests it with a ticket, a second admin approves, and it runs to the end", async ({
  page,
  browser,
}) => {
  await signInAsAdminByApi(page);
  // Allow this node and VMID, and mark the VMID production so even a reboot waits for a second admin.
  await changeSettingsAsAdmin(page, browser, {
    provisioningNodes: NODE,
    provisioningVmidRanges: String(VMID),
    provisioningStorages: "local-lvm",
    provisioningJobTypes: "power_reboot",
    productionVmidRanges: String(VMID),
    provisioningTicketPattern: "^[A-Z]+-\\d+$",
  });

  await page.goto(`/it/provisioning?node=${NODE}&vmid=${VMID}`);
  await page.getByLabel("Job type").selectOption("power");
  await page.getByLabel("Guest type").selectOption("qemu");
  await page.getByLabel("Action").selectOption("reboot");
  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("region", { name: "Dry run" });
  await expect(dryRun.getByText("nothing was sent to Proxmox")).toBeVisible();
  await expect(dryRun.getByRole("table", { name: "Proxmox calls" })).toContainText(`POST /nodes/${NODE}/qemu/${VMID}/status/reboot`);
  await expect(dryRun.getByText(`VMID ${VMID} is marked production`)).toBeVisible();

  await page.getByLabel("Ticket").fill("OPS-14");
  await page.getByRole("button", { name: "Request" }).click();
  const outcome = page.getByRole("status").filter({ hasText: "waits for a second admin" });
  await expect(outcome).toBeVisible();
  const approvalId = Number(/approval #(\d+)/.exec((await outcome.textContent()) ?? "")?.[1]);
  expect(approvalId).toBeGreaterThan(0);

  await approveAsSecondAdmin(browser, approvalId);
  await outcome.getByRole("link").click();
  await expect(page.getByTestId("job-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(page.getByText("TASK OK")).toBeVisible();
  await expect(page.getByText("provisioning.approved")).toBeVisible();
});
