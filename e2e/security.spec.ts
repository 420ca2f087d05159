import { expect, test } from "@playwright/test";
import { signInAsAdminByApi, signInWithLabOidc } from "./support/auth";

// The bootstrap admin's door under a password-guessing run: limited per account (429 with
// Retry-After, before any hash is computed), one audit row per burst with a count, and nothing
// typed for an unknown account kept verbatim (it may be a password typed into the email field).
test("repeated wrong passwords are refused with 429, audited once per burst, never verbatim", async ({ page, request }) => {
  const typed = "hunter2-typed-in-the-email-field";
  const attempt = async () => {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return request.post("/api/auth/callback/credentials", { form: { csrfToken, email: typed, password: "wrong-password-0", json: "true" }, maxRedirects: 0 });
  };
  for (let i = 0; i < 5; i++) expect((await attempt()).status()).not.toBe(429);
  const refused = await attempt();
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);

  // Oversized sign-in bodies are refused before they are read.
  expect((await request.post("/api/auth/callback/credentials", { data: "x".repeat(20_000), headers: { "content-type": "text/plain" } })).status()).toBe(413);

  await signInAsAdminByApi(page);
  const res = await page.request.get(`/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: { actor: "unknown account" } }))}`);
  const rows = (
    (await res.json()) as { result: { data: { json: { rows: Array<{ actor: string; action: string; after: { failures: number } }> } } } }
  ).result.data.json.rows.filter((r) => r.action === "auth.sign_in_failed");
  // The burst's first failure, then one row for the rest when the limit was reached.
  expect(rows.map((r) => r.after.failures).sort()).toEqual([1, 4]);
  expect(JSON.stringify(rows)).not.toContain(typed);
});

// A plain HTML form on a same-site page posts multipart/form-data with the admin's cookie; tRPC 11
// would take it as a mutation. Changes are accepted only as JSON with the console's own header.
test("a form post (or JSON without the console's header) cannot change anything; batches are capped", async ({ page }) => {
  await signInAsAdminByApi(page);
  const form = await page.request.post("/api/trpc/switches.applyAll", { multipart: { dummy: "1" } });
  expect(form.status()).toBe(403);
  const bare = await page.request.post("/api/trpc/switches.applyAll", { data: { json: null } });
  expect(bare.status()).toBe(403);
  expect(await page.request.get(`/api/trpc/${Array.from({ length: 40 }, () => "health.status").join(",")}?batch=1`).then((r) => r.status())).toBe(400);
  // The console's own calls pass.
  expect((await page.request.get("/api/trpc/settings.get")).status()).toBe(200);
});

// Sessions live server-side: signing out ends the session itself, not just this browser's cookie.
test("after signing out, a copied session cookie no longer works", async ({ page, browser }) => {
  await signInAsAdminByApi(page);
  const copy = await browser.newContext();
  try {
    await copy.addCookies(await page.context().cookies());
    expect((await copy.request.get("/api/trpc/settings.get")).status()).toBe(200);

    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    expect((await page.request.post("/api/auth/signout", { form: { csrfToken, json: "true" } })).ok()).toBe(true);

    expect((await copy.request.get("/api/trpc/settings.get")).status()).toBe(401);
    const visit = await copy.newPage();
    await visit.goto("/it");
    await expect(visit).toHaveURL(/\/signin/);
  } finally {
    await copy.close();
  }
});

// "MFA required for IT group": the lab Keycloak's it-admin-no-otp is in the admin group but has no
// second factor, so its login carries amr ["pwd"] only.
test("an admin who signed in without a second factor gets viewer access and is told why", async ({ page }) => {
  await signInWithLabOidc(page, "it-admin-no-otp");
  await page.goto("/it");
  await expect(page.getByTestId("session-notice")).toContainText("second factor");
  await expect(page.getByText("sankofa-it-viewer")).toBeVisible();
  const change = await page.request.post("/api/trpc/settings.update", { data: { json: { vlanAllowlist: "7" } }, headers: { "x-sankofa-console": "1" } });
  expect(change.status()).toBe(403);
});

test("the bootstrap admin is flagged as a break-glass account", async ({ page }) => {
  await signInAsAdminByApi(page);
  await page.goto("/it");
  await expect(page.getByTestId("break-glass-banner")).toContainText("break-glass");
  await expect(page.getByTestId("break-glass")).toContainText("admin@e2e.sankofa.test");
});
