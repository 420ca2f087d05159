import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";

// The demo types the cabling of every node but r630-01 (lab/demo.ts): its two ports on usw-core are
// what the lab UniFi's LLDP proposes. An admin confirms them and follows a hostname served from
// r630-01 down to its switch ports, without typing a port anywhere.
test("an admin confirms the proposed rows and follows a hostname to its switch port", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdminByApi(page);
  const proposals = page.getByTestId("port-proposals");
  const first = proposals.getByRole("row", { name: "Proposed usw-core 1" });
  // The UniFi and node-network collections run in the worker after start.
  await expect(async () => {
    await page.goto("/it/ports");
    await expect(first).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(first).toContainText("r630-01");
  await expect(first).toContainText("eno1");
  await expect(first).toContainText("LAG 1 (ports 1, 2)");
  await expect(first).toContainText("UniFi LLDP");

  // Until confirmed, the path follows the proposal and says so.
  const path = page.getByRole("region", { name: "Path rpc.demo.sankofa", exact: true });
  await page.goto("/it/ports?q=rpc.demo.sankofa");
  await expect(path).toContainText("usw-core 1");
  await expect(path).toContainText("unconfirmed");

  // One by one, then the rest in bulk.
  await page.goto("/it/ports");
  await first.getByRole("button", { name: "Confirm" }).click();
  await expect(first).toBeHidden();
  await page.getByRole("button", { name: /^Confirm all/ }).click();
  await expect(proposals.getByRole("row", { name: "Proposed usw-core 2" })).toBeHidden();

  // The hostname leads to both switch ports, confirmed now.
  await page.goto("/it/ports?q=rpc.demo.sankofa");
  for (const hop of ["VM 2101 besu-rpc-1", "r630-01", "vmbr0 → bond0", "usw-core 1", "usw-core 2"]) await expect(path).toContainText(hop);
  await expect(path).not.toContainText("unconfirmed");
  // The confirmed rows are the map's own now.
  await page.goto("/it/ports?q=r630-01");
  await expect(page.getByTestId("physical-port-map")).toContainText("r630-01");

  await page.goto("/it/audit?entity=port_map_entry");
  await expect(page.getByTestId("audit-table")).toContainText("port_map.confirm");
});
