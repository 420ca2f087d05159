import { expect, test } from "@playwright/test";
import { signInWithLabOidc } from "./support/auth";

test("an IT admin signs in through the OpenID provider and gets the console", async ({ page }) => {
  await signInWithLabOidc(page, "it-admin");
  await expect(page).toHaveURL(/\/it$/);
  await expect(page.getByTestId("user-name")).toHaveText("Lab IT Admin");
  await expect(page.getByText("sankofa-it-admin")).toBeVisible();
});

test("a client admin (no Sankofa IT role) gets a 403 page and FORBIDDEN from the API", async ({ page }) => {
  await signInWithLabOidc(page, "client-admin");
  const response = await page.goto("/it");
  expect(response?.status()).toBe(403);
  await expect(page.getByText("403 — Forbidden")).toBeVisible();
  await expect(page.getByText("Dashboard")).toHaveCount(0);

  const settings = await page.goto("/it/settings");
  expect(settings?.status()).toBe(403);

  const api = await page.request.get("/api/trpc/settings.get");
  expect(api.status()).toBe(403);
  expect(JSON.stringify(await api.json())).toContain("FORBIDDEN");
});

test("a viewer reads settings but cannot change them", async ({ page }) => {
  await signInWithLabOidc(page, "it-viewer");
  await page.goto("/it/settings");
  await expect(page.getByLabel("VLAN allowlist")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  const api = await page.request.post("/api/trpc/settings.update", { data: { json: { vlanAllowlist: "7" } }, headers: { "x-sankofa-console": "1" } });
  expect(api.status()).toBe(403);
});
