import { randomBytes } from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createLabCertificate } from "@/lab/tls";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { auditLog, panelConnections } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { buildLabNpmWorld, buildLabUnifiWorld } from "@/lab/edge-world";
import { panelConnectionSchema } from "@/lib/panel/connection";
import { startLabNpm } from "@/lab/npm";
import { startLabUnifi } from "@/lab/unifi";
import { deletePanelConnection, listPanelConnections, loadEdgeConfig, loadPanelConfig, savePanelConnection, testPanelConnection } from "./connections";

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

  it("keeps UniFi and NPM connections the same way: sealed, pinned, listed without secrets, tested against the lab", async () => {
    const isolated = await createTestDatabase();
    const unifi = await startLabUnifi({ world: buildLabUnifiWorld() });
    const npm = await startLabNpm({ world: buildLabNpmWorld() });
    try {
      // Before anything is saved they are listed as not configured, and the first save needs the secret.
      expect((await listPanelConnections(isolated.db, env)).map((c) => [c.kind, c.source])).toEqual([
        ["tenantos", "environment"],
        ["proxmox", "none"],
        ["unifi", "none"],
        ["npm", "none"],
      ]);
      await expect(savePanelConnection(isolated.db, key, admin, { kind: "npm", baseUrl: npm.url, tokenId: npm.identity })).rejects.toMatchObject({
        field: "secret",
      });

      // As the router parses it: a pin typed in lower case is kept in the form it is compared in.
      const input = panelConnectionSchema.parse({
        kind: "unifi",
        baseUrl: unifi.url,
        secret: unifi.apiKey,
        tlsFingerprint: unifi.fingerprint256.toLowerCase(),
      });
      await savePanelConnection(isolated.db, key, admin, input);
      await savePanelConnection(isolated.db, key, admin, { kind: "npm", baseUrl: npm.url, tokenId: npm.identity, secret: npm.secret });
      const listed = await listPanelConnections(isolated.db, env);
      expect(listed.find((c) => c.kind === "unifi")).toMatchObject({ source: "console", tokenId: null, tlsFingerprint: unifi.fingerprint256, hasSecret: true });
      expect(JSON.stringify(listed)).not.toContain(unifi.apiKey);
      expect(JSON.stringify(listed)).not.toContain(npm.secret);
      expect(await loadEdgeConfig(isolated.db, key)).toMatchObject({
        unifi: { baseUrl: unifi.url, apiKey: unifi.apiKey, fingerprint256: unifi.fingerprint256 },
        npm: { baseUrl: npm.url, identity: npm.identity, secret: npm.secret },
      });

      expect(await testPanelConnection(isolated.db, env, key, "unifi")).toEqual({ isOk: true, message: `UniFi at ${unifi.url} answered with 1 device(s)` });
      expect(await testPanelConnection(isolated.db, env, key, "npm")).toEqual({
        isOk: true,
        message: `NPM at ${npm.url} accepted ${npm.identity} and lists ${npm.world.proxyHosts.length} proxy host(s)`,
      });
      // A local account instead of the key, typed into the form: the form's values are what is tried.
      expect(
        await testPanelConnection(isolated.db, env, key, "unifi", {
          kind: "unifi",
          baseUrl: unifi.url,
          tokenId: unifi.username,
          secret: "wrong",
          tlsFingerprint: unifi.fingerprint256,
        }),
      ).toEqual({ isOk: false, message: `UniFi refused the login for ${unifi.username} (401)` });
      // Without the pin the self-signed console is refused (a removed pin needs the secret typed again, like a new URL).
      const unpinned = await testPanelConnection(isolated.db, env, key, "unifi", {
        kind: "unifi",
        baseUrl: unifi.url,
        tlsFingerprint: "",
        secret: "typed-again",
      });
      expect(unpinned.isOk).toBe(false);
      expect(unpinned.message).toMatch(/self.signed|certificate/i);
    } finally {
      await Promise.all([unifi.close(), npm.close()]);
    }
  });

  it("a changed TLS pin, like a changed URL, needs the secret again: the stored token never follows a new pin", async () => {
    // A server with its own certificate (someone else's) at the saved URL; it records any token it is handed.
    const theirs = createLabCertificate();
    const ours = createLabCertificate();
    const seen: string[] = [];
    const impostor = https.createServer({ key: theirs.key, cert: theirs.cert }, (req, res) => {
      seen.push(req.headers.authorization ?? "");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { version: "8.2.4" } }));
    });
    await new Promise<void>((r) => impostor.listen(0, "127.0.0.1", r));
    try {
      const baseUrl = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      const secret = "pinned-token-secret-0001";
      await savePanelConnection(db, key, admin, { kind: "proxmox", baseUrl, tokenId: "sankofa@pve!pin", secret, tlsFingerprint: ours.fingerprint256 });
      // Saving the impostor's pin with a blank secret is refused, and so is removing the pin.
      for (const tlsFingerprint of [theirs.fingerprint256, ""])
        await expect(savePanelConnection(db, key, admin, { kind: "proxmox", baseUrl, tokenId: "sankofa@pve!pin", tlsFingerprint })).rejects.toMatchObject({
          field: "secret",
          message: expect.stringContaining("TLS pin changed"),
        });
      // The same pin in other letters is the same pin: the stored secret is kept.
      await savePanelConnection(db, key, admin, { kind: "proxmox", baseUrl, tokenId: "sankofa@pve!pin", tlsFingerprint: ours.fingerprint256.toLowerCase() });
      expect((await loadPanelConfig(db, env, key)).proxmox).toMatchObject({ tokenSecret: secret });
      // "Test connection" with the impostor's pin typed in does not hand it the stored token.
      const tested = await testPanelConnection(db, env, key, "proxmox", {
        kind: "proxmox",
        baseUrl,
        tokenId: "sankofa@pve!pin",
        tlsFingerprint: theirs.fingerprint256,
      });
      expect(tested).toEqual({ isOk: false, message: expect.stringContaining("with its TLS pin") });
      expect(seen.filter((a) => a.includes(secret))).toEqual([]);
    } finally {
      impostor.closeAllConnections();
      await new Promise<void>((r) => impostor.close(() => r()));
      await deletePanelConnection(db, admin, "proxmox");
    }
  });
});
