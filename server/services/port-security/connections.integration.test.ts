import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { auditLog, panelConnections } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { deletePanelConnection, listPanelConnections, loadPanelConfig, savePanelConnection, testPanelConnection } from "./connections";

const { db } = await createTestDatabase();
const key = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
const env = { UNTAGGED_VLAN_ID: 11, TENANTOS_URL: "http://127.0.0.1:9/env", TENANTOS_API_KEY: "env-key" } as const;
let tenantos: LabTenantos;
let pve: LabProxmox;

beforeAll(async () => {
  tenantos = await startLabTenantos({ world: { servers: [], subnets: [], networkDevices: [] } });
  pve = await startLabProxmox({ world: { nodes: [], guests: [] } });
});
afterAll(async () => Promise.all([tenantos.close(), pve.close()]));

describe("panel connections", () => {
  it("needs the secret the first time, seals it, wins over the environment, and never shows it", async () => {
    await expect(savePanelConnection(db, key, admin, { kind: "tenantos", baseUrl: tenantos.url })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "secret",
    });
    expect((await loadPanelConfig(db, env, key)).tenantos).toEqual({ baseUrl: env.TENANTOS_URL, apiKey: "env-key" });

    const view = await savePanelConnection(db, key, admin, { kind: "tenantos", baseUrl: tenantos.url, secret: tenantos.apiKey });
    expect(view).toMatchObject({ source: "console", baseUrl: tenantos.url, hasSecret: true });
    expect(JSON.stringify(view)).not.toContain(tenantos.apiKey);
    const [row] = await db.select().from(panelConnections).where(eq(panelConnections.kind, "tenantos"));
    expect(row!.secretSealed.toString("latin1")).not.toContain(tenantos.apiKey);
    expect((await loadPanelConfig(db, env, key)).tenantos).toEqual({ baseUrl: tenantos.url, apiKey: tenantos.apiKey });

    // A blank secret keeps the stored one.
    await savePanelConnection(db, key, admin, { kind: "tenantos", baseUrl: `${tenantos.url}/` });
    expect((await loadPanelConfig(db, env, key)).tenantos?.apiKey).toBe(tenantos.apiKey);
    // Another host with a blank secret is refused: the stored key would follow the URL there.
    await expect(savePanelConnection(db, key, admin, { kind: "tenantos", baseUrl: "https://panel.elsewhere.example" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "secret",
      message: expect.stringContaining("URL changed"),
    });
    expect((await loadPanelConfig(db, env, key)).tenantos).toEqual({ baseUrl: `${tenantos.url}/`, apiKey: tenantos.apiKey });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "panel_connection.save"));
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain(tenantos.apiKey);

    const listed = await callerFor(db, buildViewer()).panel.connections();
    expect(JSON.stringify(listed)).not.toContain(tenantos.apiKey);
    await expect(callerFor(db, buildViewer()).panel.deleteConnection({ kind: "tenantos" })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await deletePanelConnection(db, admin, "tenantos");
    expect((await listPanelConnections(db, env))[0]).toMatchObject({ source: "environment", baseUrl: env.TENANTOS_URL });
  });

  it("tests a connection and says what is wrong", async () => {
    expect(await testPanelConnection(db, env, key, "tenantos", { kind: "tenantos", baseUrl: tenantos.url, secret: tenantos.apiKey })).toMatchObject({
      isOk: true,
    });
    expect(await testPanelConnection(db, env, key, "tenantos", { kind: "tenantos", baseUrl: tenantos.url, secret: "wrong" })).toEqual({
      isOk: false,
      message: expect.stringContaining("refused the API key"),
    });
    expect((await testPanelConnection(db, env, key, "tenantos")).message).toMatch(/unreachable|ECONNREFUSED|refused/i);

    await savePanelConnection(db, key, admin, { kind: "proxmox", baseUrl: pve.url, tokenId: pve.tokenId, secret: pve.tokenSecret });
    expect(await testPanelConnection(db, env, key, "proxmox")).toEqual({ isOk: true, message: expect.stringContaining("Proxmox VE 8.2.4") });
    // The stored secret is never sent to a URL typed into the form.
    const elsewhere = await testPanelConnection(db, env, key, "proxmox", { kind: "proxmox", baseUrl: "http://127.0.0.1:9", tokenId: pve.tokenId });
    expect(elsewhere).toEqual({ isOk: false, message: expect.stringContaining("only sent to the URL it was saved for") });
  });
});
