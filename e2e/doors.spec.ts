import { expect, test } from "@playwright/test";
import { E2E_METRICS_TOKEN } from "./support/constants";

test("GET /api/health reports database and worker", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ ok: true, database: { ok: true }, worker: { ok: true } });
  // Up or down only: no error text, latencies or worker ids for whoever asks.
  expect(Object.keys(body).sort()).toEqual(["checkedAt", "database", "ok", "worker"]);
  expect(Object.keys(body.database)).toEqual(["ok"]);
  expect(Object.keys(body.worker)).toEqual(["ok"]);
});

test("GET /api/metrics speaks Prometheus, counting the event door's refusals", async ({ request }) => {
  // The event door is served in front of Next's router in production: its refusals still count here.
  expect(
    (
      await request.post("/api/port-security/event", {
        data: { action: "ip_assigned", serverId: 1, ip: "10.0.48.5" },
        headers: { authorization: "Bearer wrong" },
      })
    ).status(),
  ).toBe(401);
  // Production keeps the metrics shut without the token.
  expect((await request.get("/api/metrics")).status()).toBe(401);
  const res = await request.get("/api/metrics", { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/plain");
  const body = await res.text();
  expect(body).toContain('sankofa_up{component="database"} 1');
  expect(body).toContain('sankofa_up{component="worker"} 1');
  expect(body).toMatch(/sankofa_jobs\{state="failed"\} \d+/);
  expect(body).toMatch(/sankofa_door_rejections_total\{door="port-security-event",reason="auth"\} [1-9]/);
});

test("the API refuses callers who are not signed in", async ({ request }) => {
  const res = await request.get("/api/trpc/settings.get");
  expect(res.status()).toBe(401);
});
