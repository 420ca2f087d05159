import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, auditLog, inventorySnapshots } from "@/drizzle/schema";
import { GET as getOpenApi } from "@/app/api/v1/openapi.json/route";
import { createApiKey, revokeApiKey } from "@/server/services/platform/api-keys";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { handleInventoryDrift, handleInventoryLive, handleInventoryRefresh } from "./inventory-api";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };

const call = (handler: typeof handleInventoryLive, auth?: string, method = "GET") =>
  handler(new Request("http://x/api/v1/inventory/live", { method, headers: auth ? { authorization: auth } : {} }), { db });

describe("inventory read API keys", () => {
  it("stores only the SHA-256 of a key's secret and shows the secret once", async () => {
    const { key, secret } = await createApiKey(db, admin, { name: "ansible", scopes: ["inventory:read"] });
    expect(secret).toMatch(new RegExp(`^${key.prefix}_`));
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.secretSha256).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(secret.slice(key.prefix.length + 1));
    expect(key).not.toHaveProperty("secretSha256");
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "api_key.create"));
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("answers 401 with a JSON error for no key, a wrong key and a revoked key", async () => {
    const { key, secret } = await createApiKey(db, admin, { name: "to revoke", scopes: ["inventory:read", "inventory:refresh"] });
    const wrong = `${key.prefix}_${"A".repeat(43)}`;
    for (const auth of [undefined, "Bearer", "Basic abc", "Bearer not-a-key", `Bearer ${wrong}`]) {
      const res = await call(handleInventoryLive, auth);
      expect(res.status, String(auth)).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/API key/);
    }
    expect((await call(handleInventoryLive, `Bearer ${secret}`)).status).toBe(200);
    await revokeApiKey(db, admin, key.id);
    const revoked = await call(handleInventoryDrift, `Bearer ${secret}`);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: "unknown or revoked API key" });
    expect((await call(handleInventoryRefresh, `Bearer ${secret}`, "POST")).status).toBe(401);
    await expect(revokeApiKey(db, admin, key.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("answers 403 for a key without the scope, and records when a key was last used", async () => {
    const { key, secret } = await createApiKey(db, admin, { name: "reader", scopes: ["inventory:read"] });
    expect(key.lastUsedAt).toBeNull();
    const refused = await call(handleInventoryRefresh, `Bearer ${secret}`, "POST");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "this API key lacks the inventory:refresh scope" });
    const live = await call(handleInventoryLive, `Bearer ${secret}`);
    // No snapshot yet: empty, and labelled stale rather than current.
    expect(await live.json()).toEqual({ collected_at: null, is_stale: true, error: null, nodes: [], guests: [], warnings: [] });
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.lastUsedAt).toBeInstanceOf(Date);
    // Written to the minute the settings page shows, not on every request: a burst of reads is no
    // burst of commits. A use after a minute moves it on.
    const lastUsedAt = (await db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.lastUsedAt;
    await call(handleInventoryLive, `Bearer ${secret}`);
    expect((await db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.lastUsedAt).toEqual(lastUsedAt);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(Date.now() - 61_000) })
      .where(eq(apiKeys.id, key.id));
    await call(handleInventoryLive, `Bearer ${secret}`);
    expect((await db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it("serves live and drift with freshness, and queues a refresh with 202 and the job id", async () => {
    const collectedAt = new Date();
    await db.insert(inventorySnapshots).values({
      trigger: "manual",
      status: "ok",
      collectedAt,
      data: {
        nodes: [],
        guests: [
          { vmid: 100, name: "a", node: "n1", type: "qemu", status: "running", cpus: 1, mem_bytes: 1, nics: [], config_ips: ["10.0.0.1"], live_ips: null },
          {
            vmid: 101,
            name: "b",
            node: "n1",
            type: "lxc",
            status: "running",
            cpus: 1,
            mem_bytes: 1,
            nics: [],
            config_ips: ["10.0.0.1"],
            live_ips: ["10.0.0.1"],
          },
        ],
      },
    });
    const { secret } = await createApiKey(db, admin, { name: "both", scopes: ["inventory:read", "inventory:refresh"] });
    const live = (await (await call(handleInventoryLive, `Bearer ${secret}`)).json()) as { collected_at: string; is_stale: boolean; guests: unknown[] };
    expect(live).toMatchObject({ collected_at: collectedAt.toISOString(), is_stale: false });
    expect(live.guests).toHaveLength(2);
    const drift = (await (await call(handleInventoryDrift, `Bearer ${secret}`)).json()) as Record<string, unknown>;
    // Nothing declared yet: drift is unknown (counts null), not "no drift".
    expect(drift).toMatchObject({ is_stale: false, counts: null, declared: { ip_addresses_conf: null, vmid_doc: null } });
    await callerFor(db, buildAdmin()).inventory.importDeclared({ conf: { content: "A=10.0.0.1\n", name: "ip-addresses.conf" } });
    const after = (await (await call(handleInventoryDrift, `Bearer ${secret}`)).json()) as Record<string, unknown>;
    expect(after.duplicate_guest_ips).toEqual([{ ip: "10.0.0.1", vmids: [100, 101] }]);

    const res = await call(handleInventoryRefresh, `Bearer ${secret}`, "POST");
    expect(res.status).toBe(202);
    const body = (await res.json()) as { job_id: number };
    expect(body.job_id).toBeGreaterThan(0);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "inventory.refresh_requested"));
    expect(audit!.actor).toMatch(/^api-key:skit_[0-9a-f]{8}$/);
  });

  it("lets only admins manage keys and refresh; viewers read drift", async () => {
    const viewer = callerFor(db, buildViewer());
    await expect(viewer.apiKeys.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.apiKeys.create({ name: "x", scopes: ["inventory:read"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.inventory.refresh()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viewer.inventory.alerts()).duplicateGuestIps).toHaveLength(1);
    const adminCaller = callerFor(db, buildAdmin());
    await expect(adminCaller.apiKeys.create({ name: "  ", scopes: ["inventory:read"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(adminCaller.apiKeys.create({ name: "none", scopes: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const listed = await adminCaller.apiKeys.list();
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expect(listed[0]).not.toHaveProperty("secretSha256");
  });

  it("publishes an OpenAPI 3.1 document covering the doors", async () => {
    const doc = (await getOpenApi().json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/health", "/api/v1/inventory/drift", "/api/v1/inventory/live", "/api/v1/inventory/refresh"]),
    );
  });
});
