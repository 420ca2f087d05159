import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";
import { E2E_ADMIN, E2E_EVENT_TOKEN } from "./support/constants";

// The console's tables (issue #28 point 1): sort from the header, filter, page with a total, and the
// whole view in the link. The demo world holds a few dozen addresses, so the test brings 1,100 of
// its own through the app's NetBox CSV import (plan, then apply with the plan's digest).

const PREFIX = "10.228.0.0/21";
const COUNT = 1_100;
const pad = (n: number) => String(n).padStart(4, "0");
const addressOf = (n: number) => `10.228.${n >> 8}.${n & 255}`;
const STATUSES = ["active", "reserved", "deprecated"] as const;

async function callTrpc(page: Page, path: string, json: unknown) {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json }, headers: { "x-sankofa-console": "1" } });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

async function importCsv(page: Page, kind: "prefixes" | "ip-addresses", csv: string) {
  const plan = (await callTrpc(page, "ipam.planCsvImport", { kind, csv })) as { digest: string };
  await callTrpc(page, "ipam.applyCsvImport", { kind, csv, digest: plan.digest });
}

async function seedAddresses(page: Page) {
  await importCsv(page, "prefixes", `prefix,status,description\n${PREFIX},active,e2e tables\n`);
  const rows = Array.from({ length: COUNT }, (_, i) => {
    const n = i + 1;
    return `${addressOf(n)}/21,${STATUSES[n % 3]},tbl-${pad(n)},team-${n % 2 ? "odd" : "even"}`;
  });
  await importCsv(page, "ip-addresses", `address,status,dns_name,cf_owner_team\n${rows.join("\n")}\n`);
}

const table = (page: Page, id: string) => page.getByTestId(id);
const firstCells = (page: Page, id: string) => table(page, id).locator("tbody tr td:first-child");
const header = (page: Page, id: string, name: string) =>
  table(page, id)
    .locator("thead th")
    .filter({ has: page.getByRole("button", { name, exact: true }) });

test.describe.configure({ mode: "serial" });

test("IPAM addresses: sort and filter by URL and by clicks, page through 1,100 rows, share the link, export the view", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signInAsAdminByApi(page);
  await seedAddresses(page);

  // By URL: the link names the search, the sort and the page size.
  await page.goto(`/it/ipam?tab=addresses&q=${encodeURIComponent(PREFIX)}&sort=hostname&dir=desc&size=25`);
  await expect(page.getByTestId("addresses-table-range")).toHaveText(`1–25 of 1,100`);
  await expect(header(page, "addresses-table", "Hostname")).toHaveAttribute("aria-sort", "descending");
  await expect(table(page, "addresses-table").locator("tbody tr").first()).toContainText(`tbl-${pad(COUNT)}`);

  // By clicks: a header is a button; the first click sorts ascending, the second flips it.
  await page.getByRole("button", { name: "Address", exact: true }).click();
  await expect(page).toHaveURL(/sort=address&dir=asc/);
  await expect(header(page, "addresses-table", "Address")).toHaveAttribute("aria-sort", "ascending");
  await expect(firstCells(page, "addresses-table").first()).toHaveText(addressOf(1));
  // …and by keyboard: the header button takes focus and Enter.
  await page.getByRole("button", { name: "Address", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=address&dir=desc/);
  await expect(firstCells(page, "addresses-table").first()).toHaveText(addressOf(COUNT));

  // Filters by clicks: status and owner, then the form's button; the page goes back to 1.
  const filters = page.getByRole("search", { name: "Filter IP addresses" });
  await filters.getByLabel("Status").selectOption("deprecated");
  await filters.getByLabel("Owner").selectOption("team-even");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=deprecated/);
  await expect(page).toHaveURL(/owner=team-even/);
  const expected = Array.from({ length: COUNT }, (_, i) => i + 1).filter((n) => n % 3 === 2 && n % 2 === 0);
  await expect(page.getByTestId("addresses-table-range")).toHaveText(`1–25 of ${expected.length}`);
  await expect(firstCells(page, "addresses-table").first()).toHaveText(addressOf(expected.at(-1)!));

  // The filtered view's export holds exactly the rows the filters match, in the table's order.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const csv = readFileSync((await download.path())!, "utf8")
    .trim()
    .split("\n");
  expect(csv.slice(1).map((l) => l.split(",")[0])).toEqual(expected.toReversed().map((n) => `${addressOf(n)}/21`));

  // A shared link opens the same view in another browser session.
  const shared = page.url();
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInAsAdminByApi(otherPage);
  await otherPage.goto(shared);
  await expect(otherPage.getByTestId("addresses-table-range")).toHaveText(`1–25 of ${expected.length}`);
  expect(await firstCells(otherPage, "addresses-table").allTextContents()).toEqual(await firstCells(page, "addresses-table").allTextContents());
  await expect(otherPage.getByRole("search", { name: "Filter IP addresses" }).getByLabel("Status")).toHaveValue("deprecated");
  await other.close();

  // Paging through all 1,100 rows, 200 a page, by the Next link: every address once, in order.
  await page.goto(`/it/ipam?tab=addresses&q=${encodeURIComponent(PREFIX)}`);
  await page.getByLabel("Rows per page").selectOption("200");
  await expect(page.getByTestId("addresses-table-range")).toHaveText("1–200 of 1,100");
  const seen: string[] = [];
  for (let p = 1; p <= 6; p++) {
    const [from, to] = [(p - 1) * 200 + 1, Math.min(p * 200, COUNT)].map((n) => n.toLocaleString("en-US"));
    await expect(page.getByTestId("addresses-table-range")).toHaveText(`${from}–${to} of 1,100`);
    seen.push(...(await firstCells(page, "addresses-table").allTextContents()));
    if (p < 6) await page.getByRole("link", { name: "Next", exact: true }).click();
  }
  await expect(page.getByRole("link", { name: "Next", exact: true })).toHaveCount(0);
  expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => addressOf(i + 1)));
});

test("audit log: the old filter links keep their meaning, headers sort, the view is in the link", async ({ page }) => {
  await signInAsAdminByApi(page);
  // Links written before the table (entity=type:id, actor=…) open the same entries.
  await page.goto(`/it/audit?entity=ipam&actor=${encodeURIComponent(E2E_ADMIN.email)}`);
  await expect(table(page, "audit-table")).toContainText("ipam.import_csv");
  await expect(page.getByTestId("audit-table-range")).toContainText(/^1–\d+ of \d+$/);

  // By URL: sorted by action, both ways. (Postgres orders text by its collation, so the check is
  // that one direction is the other reversed, ties included, not JavaScript's string order.)
  const actionsOf = async (dir: "asc" | "desc") => {
    // IPAM's actions only (`action` is a prefix): every one fits on the page, so one direction is the
    // other reversed (the admin's whole log passed 100 entries in a slow run, and two windows of it are not).
    await page.goto(`/it/audit?action=ipam.&actor=${encodeURIComponent(E2E_ADMIN.email)}&sort=action&dir=${dir}&size=200`);
    await expect(page.getByTestId("audit-table-range")).toHaveText(/^1–(\d+) of \1$/);
    await expect(header(page, "audit-table", "Action")).toHaveAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
    return table(page, "audit-table")
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => `${r.children[2]?.textContent}|${r.children[0]?.textContent}`));
  };
  const desc = await actionsOf("desc");
  const asc = await actionsOf("asc");
  expect(new Set(asc.map((a) => a.split("|")[0])).size).toBeGreaterThan(1);
  expect(asc).toEqual(desc.toReversed());
  expect(asc.map((a) => a.split("|")[0]).indexOf("ipam.import_csv")).toBeGreaterThanOrEqual(0);

  // By clicks: sort by time (oldest first), then filter by entity through the form.
  await page.getByRole("button", { name: "When", exact: true }).click();
  await expect(page).toHaveURL(/sort=at&dir=asc/);
  await expect(header(page, "audit-table", "When")).toHaveAttribute("aria-sort", "ascending");
  const filters = page.getByRole("search", { name: "Filter Audit log" });
  await filters.getByLabel("Entity").fill("ipam:ip-addresses");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/entity=ipam%3Aip-addresses/);
  await expect(page.getByTestId("audit-table-range")).toContainText(/^1–\d+ of \d+$/);
  const entities = await table(page, "audit-table").locator("tbody tr td:nth-child(4)").allTextContents();
  expect(new Set(entities)).toEqual(new Set(["ipam:ip-addresses"]));
  // Its export is the same view: the same entries, oldest first.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const exported = parse(readFileSync((await download.path())!, "utf8"), { columns: true }) as Array<{ entity_type: string; entity_id: string; at: string }>;
  const total = Number((/of ([\d,]+)/.exec((await page.getByTestId("audit-table-range").textContent()) ?? "")?.[1] ?? "").replace(/,/g, ""));
  expect(exported).toHaveLength(total);
  expect(exported.slice(0, entities.length).map((r) => `${r.entity_type}:${r.entity_id}`)).toEqual(entities);
  expect(exported.map((r) => r.at)).toEqual(exported.map((r) => r.at).toSorted());

  // A bad date in a link is named, not a crash.
  await page.goto("/it/audit?from=not-a-date");
  await expect(page.getByRole("alert").filter({ hasText: "Bad filter" })).toContainText("from");
});

test("port-security events: filter by server and outcome, sort by a header", async ({ page, request }) => {
  const door = (data: unknown) => request.post("/api/port-security/event", { data, headers: { authorization: `Bearer ${E2E_EVENT_TOKEN}` } });
  for (const serverId of [515_151, 515_152]) expect((await door({ action: "ip_assigned", serverId, ip: `10.0.49.${serverId % 100}` })).status()).toBe(202);
  await signInAsAdminByApi(page);
  await expect(async () => {
    await page.goto("/it/port-security?status=skipped&q=10.0.49.&sort=server&dir=asc");
    await expect(page.getByTestId("events-table-range")).toHaveText("1–2 of 2", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(header(page, "events-table", "Server")).toHaveAttribute("aria-sort", "ascending");
  await expect(table(page, "events-table").locator("tbody tr td:nth-child(3)")).toHaveText(["515151", "515152"]);
  await page.getByRole("button", { name: "Server", exact: true }).click();
  await expect(table(page, "events-table").locator("tbody tr td:nth-child(3)")).toHaveText(["515152", "515151"]);
  await page.getByRole("search", { name: "Filter Port-security events" }).getByLabel("Server id").fill("515151");
  await page.getByRole("search", { name: "Filter Port-security events" }).getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("events-table-range")).toHaveText("1–1 of 1");
});

test("at 390 px a table scrolls sideways inside its own box", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAsAdminByApi(page);
  await page.goto(`/it/ipam?tab=addresses&q=${encodeURIComponent(PREFIX)}`);
  const box = table(page, "addresses-table").locator("xpath=..");
  await expect(box).toHaveCSS("overflow-x", "auto");
  const { scroll, client } = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(scroll).toBeGreaterThan(client);
  expect(client).toBeLessThanOrEqual(390);
});
