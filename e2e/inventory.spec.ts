import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";
import { expectNoSeriousAxeViolations } from "./support/axe";

// The app under test runs the demo world (DEMO_LAB=on): its Proxmox is the lab's inventory cluster,
// whose drift against the sample files beside it is known (lab/inventory/world.ts).
test("an admin imports the lab files, sees the drift, refreshes and exports CSV", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsAdminByApi(page);

  // NetBox CSV in: the import shows its plan first and writes only when confirmed. (The demo
  // already holds 192.168.11.0/24, the prefix the declared addresses live in.)
  await page.goto("/it/ipam");
  const csvForm = page.getByRole("form", { name: "Import NetBox CSV" });
  await csvForm.getByLabel("CSV kind").selectOption("prefixes");
  await csvForm.getByLabel("CSV text").fill("prefix,status,description\n10.250.0.0/24,active,e2e spare\n");
  await csvForm.getByRole("button", { name: "Plan import" }).click();
  await expect(csvForm.getByTestId("import-plan")).toContainText("10.250.0.0/24");
  await expect(page.getByTestId("prefixes-table")).not.toContainText("10.250.0.0/24");
  await csvForm.getByRole("button", { name: "Apply import" }).click();
  await expect(csvForm.getByRole("status").filter({ hasText: "Imported:" })).toBeVisible();
  await expect(page.getByTestId("prefixes-table")).toContainText("10.250.0.0/24");

  await page.goto("/it/drift");
  await page.getByLabel("ip-addresses.conf file").setInputFiles("lab/inventory/ip-addresses.conf");
  await page.getByLabel("ALL_VMIDS_ENDPOINTS.md file").setInputFiles("lab/inventory/ALL_VMIDS_ENDPOINTS.md");
  await page.getByRole("button", { name: "Plan import", exact: true }).click();
  await expect(page.getByTestId("import-plan")).toContainText("to create");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "IPAM:" })).toContainText("new");

  await page.getByRole("button", { name: "Refresh now" }).click();
  await expect(page.getByTestId("inventory-freshness")).toContainText("current", { timeout: 30_000 });
  await expect(page.getByTestId("drift-duplicate_guest_ips")).toContainText("192.168.11.212");
  await expect(page.getByTestId("drift-guest_ips_not_in_ip_addresses_conf")).toContainText("grafana");
  await expect(page.getByTestId("drift-ip_addresses_conf_ips_not_on_guests")).toContainText("LEGACY_DNS");
  await expect(page.getByTestId("drift-guests_only_in_doc")).toContainText("old-monitoring");

  await page.goto("/it/ipam?q=192.168.11.1");
  await expect(page.getByTestId("addresses-table")).toContainText("192.168.11.100");
  // The table's export is the filtered view (the Addresses tab); NetBox's columns, our rows.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.split("\n")[0]).toContain("address,status,dns_name");
  expect(csv).toContain("192.168.11.100/24,active,besu-validator-1");

  // Edit an address: the change is saved, audited and in its history.
  await page.goto("/it/ipam?history=192.168.11.100");
  const form = page.getByRole("form", { name: "Edit 192.168.11.100" });
  await form.getByLabel("Service").fill("besu validator");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByTestId("address-history")).toContainText("updated");
});

test("the VLAN plan, hosts and port map show the demo world", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/vlans");
  await expect(page.getByTestId("vlans-table")).toContainText("prod-web");
  // The ML110's cutover leads wave 1; Loki's target is taken once the demo's first collection is in.
  await expect(page.getByTestId("wave-1")).toContainText("proxmox-host → wan-aggregator");
  await expect(async () => {
    await page.goto("/it/vlans");
    await expect(page.getByTestId("move-loki")).toContainText("192.168.11.180 is live on grafana", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("move-loki")).toContainText("blocked");
  // The plan drawn: Loki in its current VLAN's box, its line to its target red (blocked: its target is live elsewhere).
  const picture = page.getByTestId("vlan-move-picture");
  await expect(picture.locator('g[data-host="loki"]')).toHaveAttribute("data-outcome", "failed");
  await expect(picture.locator('g[data-host="loki"]')).toContainText("loki · blocked");
  await expect(picture.locator("desc")).toContainText("loki (");
  await expectNoSeriousAxeViolations(page, '[data-testid="vlan-move-picture"]');

  // The demo queued a first collection at start; hosts read the latest snapshot.
  await expect(async () => {
    await page.goto("/it/hosts?cpus=4&mem=16&disk=100");
    await expect(page.getByTestId("host-r630-04")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("placements").getByRole("row").nth(1)).toContainText("r630-04");
  // Capacity over time: the collection's point for r630-04 is drawn, and its figures are the host card's
  // (the lab node has 256 GiB of RAM, 21 GiB used: 8.2%).
  const capacity = page.getByTestId("capacity-history-r630-04");
  await expect(capacity.locator("svg .recharts-line-dot").first()).toBeVisible();
  await expect(page.getByTestId("host-r630-04")).toContainText("21 GiB used");
  await capacity.getByText("Figures for r630-04").click();
  await expect(capacity.getByTestId("capacity-figures-r630-04").getByRole("row").last()).toContainText("8.2%");
  await expectNoSeriousAxeViolations(page, '[data-testid="capacity-history-r630-04"]');

  await page.goto("/it/ports?q=srv-201");
  await expect(page.getByTestId("port-map")).toContainText("ge-0/0/5.0");
  await expect(page.getByTestId("port-map")).toContainText("server 201");
});
