import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApiKey } from "@/server/services/platform/api-keys";
import { createTestDatabase } from "@/server/testing/database";
import { handleAddressExportApi, handleAddressHistoryApi, handleSearchApi } from "./addresses-api";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const IP = "10.0.48.7";

// Two Tenantos holders of one IP, as the event door records them (the trigger keeps the timeline).
async function assign(action: string, serverId: number, receivedAt: string) {
  await db.execute(sql`insert into port_security_events (action, server_id, ip, dedupe_key, received_at)
    values (${action}, ${serverId}, ${IP}, ${`${action}|${serverId}|${IP}|${receivedAt}`}, ${receivedAt}::timestamptz)`);
}

describe("the search and history API", async () => {
  const { secret: readKey } = await createApiKey(db, admin, { name: "abuse desk", scopes: ["inventory:read"] });
  const { secret: refreshOnly } = await createApiKey(db, admin, { name: "cron", scopes: ["inventory:refresh"] });
  await db.execute(sql`update address_timeline_coverage set recording_since = '2026-10-01T00:00:00Z'`);
  await assign("ip_assigned", 41, "2026-11-01T10:00:00Z");
  await assign("ip_removed", 41, "2026-11-02T12:00:00Z");
  await assign("ip_assigned", 42, "2026-11-03T08:00:00Z");
  const get = (handler: typeof handleSearchApi, path: string, auth?: string) =>
    handler(new Request(`http://x${path}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} }), { db });
  const history = (query: string, auth = readKey) =>
    handleAddressHistoryApi(new Request(`http://x/api/v1/addresses/${IP}/history${query}`, { headers: { authorization: `Bearer ${auth}` } }), { db }, IP);

  it("needs a key with inventory:read", async () => {
    expect((await get(handleSearchApi, "/api/v1/search?q=10.0.48.7")).status).toBe(401);
    expect((await get(handleSearchApi, "/api/v1/search?q=10.0.48.7", refreshOnly)).status).toBe(403);
    expect((await history("", refreshOnly)).status).toBe(403);
  });

  it("answers who had the address at a moment, in the documented shape", async () => {
    const res = await history("?at=2026-11-02T14:05:00Z");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      address: IP,
      at: "2026-11-02T14:05:00.000Z",
      holders: [],
      coverage: { is_complete: true, gaps: [] },
      timeline: [
        {
          kind: "tenantos_assignment",
          from: "2026-11-01T10:00:00.000Z",
          to: "2026-11-02T12:00:00.000Z",
          tenantos_server_id: 41,
          evidence: { type: "port_security_event", id: expect.any(String) },
          end_evidence: { type: "port_security_event", id: expect.any(String) },
        },
        {
          kind: "tenantos_assignment",
          from: "2026-11-03T08:00:00.000Z",
          to: null,
          tenantos_server_id: 42,
          evidence: { type: "port_security_event", id: expect.any(String) },
        },
      ],
      is_truncated: false,
    });
    const during = (await (await history("?at=2026-11-01T11:00:00%2B01:00")).json()) as { holders: Array<{ tenantos_server_id: number }> };
    expect(during.holders.map((h) => h.tenantos_server_id)).toEqual([41]);
    const before = (await (await history("?at=2026-09-01T00:00:00Z")).json()) as { coverage: { is_complete: boolean; gaps: unknown[] } };
    expect(before.coverage).toEqual({
      is_complete: false,
      gaps: [{ from: "2026-09-01T00:00:00.000Z", to: "2026-10-01T00:00:00.000Z", reason: "before the record starts" }],
    });
  });

  it("refuses a time without a zone and a subject that is not an address", async () => {
    const res = await history("?at=2026-11-02T14:05:00");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: "at" });
    const bad = await handleAddressHistoryApi(new Request("http://x/", { headers: { authorization: `Bearer ${readKey}` } }), { db }, "not-an-ip");
    expect(bad.status).toBe(400);
  });

  it("searches, and sends an exact IP to its page", async () => {
    const res = await get(handleSearchApi, "/api/v1/search?q=10.0.48.7", readKey);
    expect(await res.json()).toMatchObject({ redirect: `/it/addresses/${IP}`, results: [{ kind: "address", label: IP, href: `/it/addresses/${IP}` }] });
    const server = (await (await get(handleSearchApi, "/api/v1/search?q=42", readKey)).json()) as { results: Array<{ kind: string; detail: string }> };
    expect(server.results.find((r) => r.kind === "tenantos_server")?.detail).toBe(IP);
  });

  it("exports the abuse reply for a window as CSV and JSON, the same periods", async () => {
    const q = "?from=2026-11-01T00:00:00Z&to=2026-11-02T23:00:00Z";
    const csvRes = await handleAddressExportApi(new Request(`http://x/${q}`, { headers: { authorization: `Bearer ${readKey}` } }), { db }, IP);
    expect(csvRes.headers.get("content-type")).toContain("text/csv");
    expect(csvRes.headers.get("content-disposition")).toContain("sankofa-address-10.0.48.7.csv");
    const rows = parse(await csvRes.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.kind, r.tenantos_server_id, r.from, r.to])).toEqual([
      ["tenantos_assignment", "41", "2026-11-01T10:00:00.000Z", "2026-11-02T12:00:00.000Z"],
    ]);
    const jsonRes = await handleAddressExportApi(new Request(`http://x/${q}&format=json`, { headers: { authorization: `Bearer ${readKey}` } }), { db }, IP);
    const body = (await jsonRes.json()) as { timeline: Array<{ from: string }> };
    expect(body.timeline.map((e) => e.from)).toEqual(rows.map((r) => r.from));
  });
});
