import { expect, test } from "@playwright/test";
import { signInAsAdminByApi } from "./support/auth";
import { E2E_EVENT_TOKEN } from "./support/constants";

test("Tenantos's event door stores events and the console shows what became of them", async ({ page, request }) => {
  const serverId = 100_000 + Math.floor(Math.random() * 900_000);
  const door = (data: unknown, token = E2E_EVENT_TOKEN) => request.post("/api/port-security/event", { data, headers: { authorization: `Bearer ${token}` } });

  expect((await door({ action: "ip_assigned", serverId, ip: "10.0.48.6" }, "wrong-token")).status()).toBe(401);
  const bad = await door({ action: "ip_assigned", serverId: "x1", ip: "10.0.48.6" });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("serverId");
  const ok = await door({ action: "ip_assigned", serverId, ip: "10.0.48.6" });
  expect(ok.status()).toBe(202);

  await signInAsAdminByApi(page);
  // This e2e world has no Tenantos configured: the event is kept and marked skipped, saying why.
  await expect(async () => {
    await page.goto(`/it/port-security?server=${serverId}`);
    await expect(page.getByTestId("events-table")).toContainText("skipped", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("events-table")).toContainText("Tenantos is not configured");
  await expect(page.getByTestId("automation-warning")).toContainText("Tenantos is not configured");
});
