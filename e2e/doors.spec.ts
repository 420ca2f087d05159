import { expect, test } from "@playwright/test";

test("GET /api/health reports database and worker", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, database: { ok: true }, worker: { ok: true } });
});

test("GET /api/metrics speaks Prometheus", async ({ request }) => {
  const res = await request.get("/api/metrics");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/plain");
  const body = await res.text();
  expect(body).toContain('sankofa_up{component="database"} 1');
  expect(body).toContain('sankofa_up{component="worker"} 1');
  expect(body).toMatch(/sankofa_jobs\{state="failed"\} \d+/);
});

test("the API refuses callers who are not signed in", async ({ request }) => {
  const res = await request.get("/api/trpc/settings.get");
  expect(res.status()).toBe(401);
});
