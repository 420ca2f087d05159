import { expect, type Browser, type Page } from "@playwright/test";
import { BASE_URL, E2E_ADMIN } from "./constants";

/** Signs the page's browser context in as the bootstrap admin through next-auth's API (no form). */
export async function signInAsAdminByApi(page: Page): Promise<void> {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: E2E_ADMIN.email, password: E2E_ADMIN.password, callbackUrl: "/it", json: "true" },
  });
  expect(res.ok()).toBe(true);
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.includes("next-auth.session-token"))).toBe(true);
}

/** The real browser flow: our sign-in page → the lab's OpenID provider login form → back. */
export async function signInWithLabOidc(page: Page, login: string): Promise<void> {
  await page.goto("/signin?callbackUrl=%2Fit");
  await page.getByRole("button", { name: "Sign in with Lab Keycloak" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  // Consent is auto-approved for our client in the lab: the next stop is the app again.
  await page.waitForURL(`${BASE_URL}/**`);
}

/** What a change request answered: applied, or waiting for a second admin. */
export type ChangeOutcome = { status: "applied" } | { status: "pending"; approvalId: number; summary: string };

/** Another admin (the lab Keycloak's it-admin) approves a waiting change through the API, as the console does. */
export async function approveAsSecondAdmin(browser: Browser, approvalId: number): Promise<void> {
  const context = await browser.newContext();
  try {
    const other = await context.newPage();
    await signInWithLabOidc(other, "it-admin");
    const res = await other.request.post("/api/trpc/approvals.decide", {
      data: { json: { id: approvalId, decision: "approve" } },
      headers: { "x-sankofa-console": "1" },
    });
    expect(res.ok()).toBe(true);
  } finally {
    await context.close();
  }
}

/** An admin's settings change through the API; one that weakens safety is approved by a second admin. */
export async function changeSettingsAsAdmin(page: Page, browser: Browser, form: Record<string, string>): Promise<void> {
  const res = await page.request.post("/api/trpc/settings.update", { data: { json: form }, headers: { "x-sankofa-console": "1" } });
  expect(res.ok()).toBe(true);
  const outcome = ((await res.json()) as { result: { data: { json: ChangeOutcome } } }).result.data.json;
  if (outcome.status === "pending") await approveAsSecondAdmin(browser, outcome.approvalId);
}
