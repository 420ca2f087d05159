import { expect, test } from "@playwright/test";
import { approveAsSecondAdmin, signInAsAdminByApi, signInWithLabOidc, type ChangeOutcome } from "./support/auth";

// Issue 24: what an approval applies is what the approvals page shows now, not the form asked days ago.
test("a pending request whose state moved shows the new difference; the second admin approves that; the break-glass admin never approves", async ({
  page,
  browser,
}) => {
  await signInAsAdminByApi(page);
  const ask = async (form: Record<string, string>) => {
    const res = await page.request.post("/api/trpc/settings.update", { data: { json: form }, headers: { "x-sankofa-console": "1" } });
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { result: { data: { json: ChangeOutcome } } }).result.data.json as Extract<ChangeOutcome, { status: "pending" }>;
  };
  // The e2e database is fresh for every run (playwright.config.ts): these VLANs are this test's own.
  const first = await ask({ vlanAllowlist: "3101, 3102" });
  expect(first.status).toBe("pending");
  // Another admin's allowlist is approved meanwhile: the first request's "from" moved.
  const meanwhile = await ask({ vlanAllowlist: "3103" });
  await approveAsSecondAdmin(browser, meanwhile.approvalId);

  // The break-glass admin sees the request and is told it never approves.
  await page.goto("/it/approvals");
  const mine = page
    .getByTestId("approvals-table")
    .getByRole("row")
    .filter({ has: page.getByTestId(`approval-${first.approvalId}-change`) });
  await expect(mine).toContainText("the break-glass account never approves");
  await expect(mine.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // The second admin sees what it does NOW, flagged as changed, and approves exactly that.
  const context = await browser.newContext();
  const other = await context.newPage();
  await signInWithLabOidc(other, "it-admin");
  await other.goto("/it/approvals");
  const change = other.getByTestId(`approval-${first.approvalId}-change`);
  await expect(change).toContainText("changed since asked");
  await expect(change).toContainText("settings: vlanAllowlist from 3103 to 3101, 3102");
  const row = other.getByTestId("approvals-table").getByRole("row").filter({ has: change });
  await row.getByRole("button", { name: "Approve" }).click();
  // The confirmation shows the same difference the list shows, then applies it.
  const confirm = other.getByTestId("confirm-dialog");
  await expect(confirm.getByTestId(`approval-${first.approvalId}-difference`)).toContainText("settings: vlanAllowlist from 3103 to 3101, 3102");
  await confirm.getByRole("button", { name: `Approve #${first.approvalId}` }).click();
  await expect(row).toContainText("applied");
  await context.close();

  const settings = await page.request.get("/api/trpc/settings.get");
  expect(((await settings.json()) as { result: { data: { json: { vlanAllowlist: number[] } } } }).result.data.json.vlanAllowlist).toEqual([3101, 3102]);
  // Back to every VLAN for the specs that follow.
  const reset = await ask({ vlanAllowlist: "" });
  await approveAsSecondAdmin(browser, reset.approvalId);
});
