import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";
import { E2E_EVENT_TOKEN } from "./support/constants";

// The demo world: dedi-201's primary IP binds to its PXE MAC on lab-ex4200 ge-0/0/5 once the demo seed's push ran.
const DEDI_201_MAC = "aa:bb:cc:02:01:00";

test("a MAC pasted into the top bar, in Cisco's form, leads to the switch port it is bound on", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it");
  await expect(async () => {
    await page.keyboard.press("/");
    await expect(page.getByTestId("global-search")).toBeFocused();
    await page.getByTestId("global-search").fill("AABB.CC02.0100");
    await page.getByTestId("global-search").press("Enter");
    await expect(page).toHaveURL(new RegExp(`/it/addresses/(${DEDI_201_MAC}|${encodeURIComponent(DEDI_201_MAC)})$`), { timeout: 2_000 });
    await expect(page.getByTestId("address-current")).toContainText("ge-0/0/5", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("address-current")).toContainText("10.13.0.21");
  await page
    .getByTestId("address-current")
    .getByRole("link", { name: /lab-ex4200 ge-0\/0\/5/ })
    .click();
  await expect(page).toHaveURL(/\/it\/switches\/\d+\?port=ge-0%2F0%2F5|\/it\/switches\/\d+\?port=ge-0\/0\/5/);
});

test("an IP's timeline shows both servers that held it, and the abuse reply downloads as CSV", async ({ page, request }) => {
  const ip = "10.13.0.97";
  const door = (data: unknown) => request.post("/api/port-security/event", { data, headers: { authorization: `Bearer ${E2E_EVENT_TOKEN}` } });
  expect((await door({ action: "ip_assigned", serverId: 201, ip })).status()).toBe(202);
  expect((await door({ action: "ip_removed", serverId: 201, ip })).status()).toBe(202);
  expect((await door({ action: "ip_assigned", serverId: 202, ip })).status()).toBe(202);

  await signInAsAdminByApi(page);
  await page.goto("/it/ipam");
  await page.getByTestId("global-search").fill(ip);
  // The dropdown offers the address; Enter on an exact IP goes straight to its page.
  await expect(page.getByTestId("search-results")).toContainText(ip);
  await page.getByTestId("global-search").press("Enter");
  await expect(page).toHaveURL(new RegExp(`/it/addresses/${ip.replaceAll(".", "\\.")}$`));
  const timeline = page.getByTestId("address-timeline");
  await expect(timeline.locator('[data-kind="tenantos_assignment"]')).toHaveCount(2);
  await expect(timeline).toContainText("server 201");
  await expect(timeline).toContainText("server 202");
  await expect(page.getByTestId("address-current")).toContainText("server 202");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toBe(`sankofa-address-${ip}.csv`);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.split("\n")[0]).toBe("kind,from,to,tenantos_server_id,switch,interface,mac,vlan,vmid,node,hostname,status,owner,evidence_type,evidence_id");
  expect(csv).toContain("tenantos_assignment");
  expect(csv).toMatch(/,201,/);
  expect(csv).toMatch(/,202,/);
});
