import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";
import { expectNoSeriousAxeViolations } from "./support/axe";

// The app under test runs the demo world (DEMO_LAB=on) with its edge: the lab UniFi console and NPM,
// and the cabling typed at first start (lab/edge-world.ts). Collections are queued at start.
test("searching a hostname shows its whole path, from NPM to the patch panel", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsAdminByApi(page);
  const path = page.getByRole("region", { name: "Path portal.demo.sankofa" });
  // The inventory and edge collections run in the worker after start: wait for the path to reach the panel.
  await expect(async () => {
    await page.goto("/it/ports?q=portal.demo.sankofa");
    await expect(path).toContainText("PP-A / 6", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  for (const hop of ["NPM #1", "192.168.11.170:3000", "CT 7800 sankofa-portal", "r630-02", "vmbr0 → bond0", "usw-core 5", "PP-A / 5", "usw-core 6"]) {
    await expect(path).toContainText(hop);
  }
  await expect(page.getByTestId("edge-findings")).toContainText("rpc.demo.sankofa");

  // The path drawn: one box a hop, in order, each linked to the page about it.
  const diagram = path.getByRole("list", { name: "Path diagram of portal.demo.sankofa" });
  await expect(diagram.getByRole("listitem").first()).toContainText("hostname");
  await expect(diagram.getByRole("link", { name: "192.168.11.170:3000" })).toHaveAttribute("href", "/it/addresses/192.168.11.170");
  await expect(diagram.getByRole("link", { name: "CT 7800 sankofa-portal" })).toHaveAttribute("href", "/it/proxmox#node-r630-02");
  await expect(diagram.getByRole("link", { name: "r630-02" })).toHaveAttribute("href", "/it/hosts#host-r630-02");
  await expect(diagram.getByRole("link", { name: "usw-core 5" })).toHaveAttribute("href", /\/it\/(switches\/\d+|ports\?q=usw-core%3A5)$/);
  await expect(diagram.locator('li[data-kind="patch-panel"]').filter({ hasText: "PP-A / 5" })).toBeVisible();
  await expectNoSeriousAxeViolations(page, '[data-testid="edge-path-diagram"]');
  await diagram.getByRole("link", { name: "r630-02" }).click();
  await expect(page.getByTestId("host-r630-02")).toBeVisible();

  // The same path by VMID.
  await page.goto("/it/ports?q=7800");
  await expect(path).toBeVisible();
});

test("a node only our EX switch hears shows its switch port from the switch's LLDP", async ({ page }) => {
  test.setTimeout(90_000);
  await signInAsAdminByApi(page);
  const path = page.getByRole("region", { name: "Path build.demo.sankofa" });
  // The first start queues a backup of each lab switch; that run reads LLDP and LACP too.
  await expect(async () => {
    await page.goto("/it/ports?q=build.demo.sankofa");
    await expect(path).toContainText("lab-ex3400 ge-0/0/2", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(path).toContainText("r630-04");
  await expect(path).toContainText("Junos LLDP");
});

test("an admin edits a port of the physical map and exports it as CSV", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it/ports");
  await page.getByRole("button", { name: "Edit usw-core 9" }).click();
  const form = page.getByRole("form", { name: "Edit usw-core 9" });
  await form.getByLabel("Panel position").fill("19");
  await form.getByLabel("Notes").fill("re-patched in the e2e run");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("physical-port-map")).toContainText("PP-A / 19");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "port map CSV" }).click()]);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.split("\n")[0]).toBe(
    "switch,switch_kind,port,panel,panel_position,far_host,far_nic,far_mac,bond,vlan_mode,native_vlan,tagged_vlans,speed_mbps,notes",
  );
  expect(csv).toContain("usw-core,unifi,9,PP-A,19,r630-03,eno1,");
  expect(csv).toContain("re-patched in the e2e run");

  await page.goto("/it/audit?entity=port_map_entry");
  await expect(page.getByTestId("audit-table")).toContainText("port_map.update");
});
