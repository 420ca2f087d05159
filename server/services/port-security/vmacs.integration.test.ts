import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, panelPorts, switchDirtyPorts, switches, vmacEvents, vmacs } from "@/drizzle/schema";
import { buildDemoTenantosWorld } from "@/lab/demo-world";
import { startLabTenantos } from "@/lab/tenantos";
import { createOutsideSystems } from "@/server/connectors/outside-systems";
import { handleVirtualMacs } from "@/server/doors/virtual-macs";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { updateSettings } from "../platform/settings";
import { createVmac, releaseVmac } from "./vmacs";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const token = "tenantos-door-token-0123456789abcdef";

describe("virtual MACs", () => {
  it("derives one per IPv4 under the prefix, idempotently, and refuses it to a second server", async () => {
    const first = await createVmac(db, admin, { ip: "10.0.48.6", serverId: 7 });
    expect(first).toMatchObject({ isNew: true, vmac: { mac: "02:00:0a:00:30:06", serverId: 7 } });
    expect((await createVmac(db, admin, { ip: "10.0.48.6", serverId: 7 })).isNew).toBe(false);
    await expect(createVmac(db, admin, { ip: "10.0.48.6", serverId: 8 })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createVmac(db, admin, { ip: "10.0.48.600", serverId: 8 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("follows the configured prefix and draws IPv6 ones from it", async () => {
    await updateSettings(db, admin, { vmacPrefix: "0a:10" });
    expect((await createVmac(db, admin, { ip: "10.0.48.7", serverId: 7 })).vmac.mac).toBe("0a:10:0a:00:30:07");
    expect((await createVmac(db, admin, { ip: "2001:db8::7", serverId: 7 })).vmac.mac).toMatch(/^0a:10(:[0-9a-f]{2}){4}$/);
    await expect(updateSettings(db, admin, { vmacPrefix: "01:00" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("releases, logs both events, audits, and marks the server's panel ports for a push", async () => {
    const [sw] = await db.insert(switches).values({ name: "vm-sw", host: "127.0.0.1", username: "x" }).returning();
    await db.insert(panelPorts).values({ switchId: sw!.id, interface: "ge-0/0/3.0", serverId: 7, kind: "dedicated" });
    await releaseVmac(db, admin, "10.0.48.6");
    const [row] = await db.select().from(vmacs).where(eq(vmacs.ip, "10.0.48.6"));
    expect(row!.releasedAt).not.toBeNull();
    expect((await db.select().from(vmacEvents).where(eq(vmacEvents.ip, "10.0.48.6"))).map((e) => e.kind)).toEqual(["created", "released"]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "vmac.release"))).toHaveLength(1);
    expect(await db.select().from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, sw!.id))).toHaveLength(1);
    await expect(releaseVmac(db, admin, "10.0.48.6")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps a released VMAC from another server for the quarantine, but gives it back to its own", async () => {
    await createVmac(db, admin, { ip: "10.0.49.1", serverId: 21 });
    await releaseVmac(db, admin, "10.0.49.1");
    await expect(createVmac(db, admin, { ip: "10.0.49.1", serverId: 22 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("quarantined until"),
    });
    expect((await createVmac(db, admin, { ip: "10.0.49.1", serverId: 21 })).isNew).toBe(true);
    await releaseVmac(db, admin, "10.0.49.1");
    await updateSettings(db, admin, { vmacQuarantineDays: "0" });
    expect((await createVmac(db, admin, { ip: "10.0.49.1", serverId: 22 })).vmac.serverId).toBe(22);
    await expect(updateSettings(db, admin, { vmacQuarantineDays: "-1" })).rejects.toMatchObject({ field: "vmacQuarantineDays" });
  });

  it("lets viewers list and only admins create", async () => {
    expect((await callerFor(db, buildViewer()).vmacs.list({ search: "10.0.48" })).map((v) => v.ip)).toContain("10.0.48.7");
    await expect(callerFor(db, buildViewer()).vmacs.create({ ip: "10.0.48.9", serverId: 7 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await callerFor(db, buildAdmin()).vmacs.create({ ip: "10.0.48.9", serverId: 7 })).isNew).toBe(true);
  });

  it("serves Tenantos scripts at /api/v1/virtual-macs behind the bearer token, only for an IP Tenantos assigns to that server", async () => {
    const tenantos = await startLabTenantos({ world: buildDemoTenantosWorld({ ex4200: "127.0.0.1", ex3400: "127.0.0.1" }) });
    try {
      const panel = createOutsideSystems({ tenantos: { baseUrl: tenantos.url, apiKey: tenantos.apiKey }, untaggedVlanId: 11 });
      const call = (method: string, body?: unknown, auth = `Bearer ${token}`, query = "", getPanel = async () => panel) =>
        handleVirtualMacs(
          new Request(`http://x/api/v1/virtual-macs${query}`, { method, body: body ? JSON.stringify(body) : undefined, headers: { authorization: auth } }),
          { db, token, getPanel },
        );
      expect((await call("POST", { ip: "10.13.0.32", serverId: 202 }, "Bearer wrong")).status).toBe(401);
      expect((await call("POST", { ip: "10.13.0.32", serverId: "202" })).status).toBe(201);
      expect((await call("POST", { ip: "10.13.0.32", serverId: 202 })).status).toBe(200);
      expect((await call("POST", { ip: "nope", serverId: 10 })).status).toBe(400);
      // Another server's address, or one Tenantos assigns to nobody: no VMAC, nothing written.
      const other = await call("POST", { ip: "10.13.0.32", serverId: 201 });
      expect(other.status).toBe(409);
      expect(((await other.json()) as { error: string }).error).toContain("does not assign 10.13.0.32 to server 201");
      expect((await call("POST", { ip: "10.13.0.250", serverId: 202 })).status).toBe(409);
      expect(await db.select().from(vmacs).where(eq(vmacs.ip, "10.13.0.250"))).toEqual([]);
      // Without Tenantos the check cannot be made: refused.
      expect((await call("POST", { ip: "10.13.0.31", serverId: 202 }, `Bearer ${token}`, "", async () => undefined)).status).toBe(503);
      const listed = (await (await call("GET", undefined, `Bearer ${token}`, "?ip=10.13.0.32")).json()) as { result: Array<{ mac: string }> };
      expect(listed.result.map((v) => v.mac)).toEqual(["0a:10:0a:0d:00:20"]);
    } finally {
      await tenantos.close();
    }
  });
});
