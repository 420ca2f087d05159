import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { portSecurityEvents } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { handlePortSecurityEvent } from "./port-security-event";

const { db } = await createTestDatabase();
const token = "tenantos-door-token-0123456789abcdef";

function post(body: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) {
  return handlePortSecurityEvent(
    new Request("http://door/api/port-security/event", { method: "POST", body, headers: { "content-type": "application/json", ...headers } }),
    { db, token },
  );
}
const stored = async () => (await db.select({ n: count() }).from(portSecurityEvents))[0]!.n;

describe("POST /api/port-security/event", () => {
  it("stores a valid event and answers 202 with its id", async () => {
    const res = await post(JSON.stringify({ action: "ip_assigned", serverId: "7", ip: "10.0.48.6" }));
    expect(res.status).toBe(202);
    const { eventId, duplicate } = (await res.json()) as { eventId: number; duplicate: boolean };
    expect(duplicate).toBe(false);
    const [row] = await db.select().from(portSecurityEvents);
    expect(row).toMatchObject({ id: eventId, action: "ip_assigned", serverId: 7, ip: "10.0.48.6", status: "received" });
  });

  it("recognises a retried delivery instead of doubling it, but not a new action", async () => {
    const body = JSON.stringify({ action: "ip_removed", serverId: 8, ip: "10.0.48.8" });
    const first = (await (await post(body)).json()) as { eventId: number };
    const again = (await (await post(body)).json()) as { eventId: number; duplicate: boolean };
    expect(again).toEqual({ eventId: first.eventId, duplicate: true });
    const reassigned = (await (await post(JSON.stringify({ action: "ip_assigned", serverId: 8, ip: "10.0.48.8" }))).json()) as { duplicate: boolean };
    expect(reassigned.duplicate).toBe(false);
  });

  it.each([
    ["no token", {}, 401],
    ["a wrong token", { authorization: "Bearer nope" }, 401],
    ["another scheme", { authorization: `Basic ${token}` }, 401],
  ])("refuses %s with 401 and stores nothing", async (_what, headers, status) => {
    const before = await stored();
    expect((await post(JSON.stringify({ action: "ip_assigned", serverId: 1, ip: "10.0.0.1" }), headers)).status).toBe(status);
    expect(await stored()).toBe(before);
  });

  it.each([
    ["{not json", "body is not JSON"],
    [JSON.stringify({ action: "ip_moved", serverId: 1, ip: "10.0.0.1" }), "action"],
    [JSON.stringify({ action: "ip_assigned", serverId: "abc", ip: "10.0.0.1" }), "serverId"],
    [JSON.stringify({ action: "ip_assigned", serverId: 1, ip: "10.0.0.999" }), "ip"],
  ])("answers 400 naming what is wrong in %s, storing nothing", async (body, field) => {
    const before = await stored();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(field);
    expect(await stored()).toBe(before);
  });

  it("answers 413 to a body over 64 KB", async () => {
    const res = await post(JSON.stringify({ action: "ip_assigned", serverId: 1, ip: "10.0.0.1", pad: "x".repeat(70_000) }));
    expect(res.status).toBe(413);
  });

  it("answers 503 while no token is configured", async () => {
    const res = await handlePortSecurityEvent(new Request("http://door/x", { method: "POST", body: "{}" }), { db, token: undefined });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toContain("PORT_SECURITY_EVENT_API_BEARER_TOKEN");
  });
});
