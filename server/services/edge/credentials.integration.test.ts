import { randomBytes } from "node:crypto";
import { desc, eq, gt, and } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgeSnapshots, panelConnections } from "@/drizzle/schema";
import { buildLabNpmWorld, buildLabUnifiWorld } from "@/lab/edge-world";
import { startLabNpm, type LabNpm } from "@/lab/npm";
import { startLabUnifi, type LabUnifi } from "@/lab/unifi";
import { createNpmClient } from "@/server/connectors/npm/client";
import { createUnifiClient } from "@/server/connectors/unifi/client";
import type { Db } from "@/server/db/client";
import { createTestDatabase } from "@/server/testing/database";
import { startWorkerProcess, stopProcess } from "@/server/testing/worker-process";
import { savePanelConnection, testPanelConnection } from "../port-security/connections";
import { requestEdgeRefresh } from "./jobs";
import { collectEdgeSnapshot, readNpm, readUnifi } from "./collector";
import { resolveEdgeClients } from "./sources";

// Credentials saved in Settings take effect in every process at once: each save bumps the
// connection's version in the database, and a kept UniFi session or NPM token of an older version is
// dropped before the next call, here in a real `npm run worker` process beside the test's own.
const secretsKey = randomBytes(32);
const admin = { id: "admin@credentials.test" };
const env = { UNTAGGED_VLAN_ID: 11 } as const;
let unifi: LabUnifi;
let npm: LabNpm;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;

beforeAll(async () => {
  [unifi, npm] = await Promise.all([startLabUnifi({ world: buildLabUnifiWorld() }), startLabNpm({ world: buildLabNpmWorld() })]);
});
afterAll(async () => {
  // Also when a poll ran out: never leave the worker process behind.
  if (worker) await stopProcess(worker);
  await Promise.all([unifi.close(), npm.close()]);
});

async function saveAccounts(db: Db, passwords: { unifi: string; npm: string }) {
  await savePanelConnection(db, secretsKey, admin, {
    kind: "unifi",
    baseUrl: unifi.url,
    tokenId: unifi.username,
    secret: passwords.unifi,
    tlsFingerprint: unifi.fingerprint256,
  });
  await savePanelConnection(db, secretsKey, admin, {
    kind: "npm",
    baseUrl: npm.url,
    tokenId: npm.identity,
    secret: passwords.npm,
    tlsFingerprint: npm.fingerprint256,
  });
}

/** The newest snapshot of a source after `afterId`, once the worker has finished it. */
const newestFinished = (db: Db, source: "unifi" | "npm", afterId: number) =>
  db
    .select()
    .from(edgeSnapshots)
    .where(and(eq(edgeSnapshots.source, source), gt(edgeSnapshots.id, afterId)))
    .orderBy(desc(edgeSnapshots.id))
    .limit(1)
    .then(([r]) => (r && r.status !== "running" ? r : null));

const lastId = async (db: Db) => (await db.select({ id: edgeSnapshots.id }).from(edgeSnapshots).orderBy(desc(edgeSnapshots.id)).limit(1))[0]?.id ?? 0;

describe("saved credentials take effect everywhere at once", () => {
  it("bumps the connection's version on every save, even one that keeps the secret", async () => {
    const { db } = await createTestDatabase();
    await saveAccounts(db, { unifi: unifi.password, npm: npm.secret });
    const version = async () => (await db.select().from(panelConnections).where(eq(panelConnections.kind, "unifi")))[0]!.version;
    const first = await version();
    await savePanelConnection(db, secretsKey, admin, { kind: "unifi", baseUrl: unifi.url, tokenId: unifi.username, tlsFingerprint: unifi.fingerprint256 });
    expect(await version()).toBeGreaterThan(first);
  });

  it("the worker process's very next collection logs in with a password changed in Settings, and fails when it is wrong", { timeout: 300_000 }, async () => {
    const { db, url } = await createTestDatabase();
    await saveAccounts(db, { unifi: unifi.password, npm: npm.secret });
    worker = await startWorkerProcess(url, secretsKey);
    try {
      let since = await lastId(db);
      await requestEdgeRefresh(db, admin);
      await expect.poll(() => newestFinished(db, "unifi", since), { timeout: 30_000, interval: 200 }).toMatchObject({ status: "ok" });
      await expect.poll(() => newestFinished(db, "npm", since), { timeout: 30_000, interval: 200 }).toMatchObject({ status: "ok" });
      const unifiLogins = unifi.loginCount();
      const npmLogins = npm.counts().logins;

      // A second collection reuses the worker's session and token: no new login.
      since = await lastId(db);
      await requestEdgeRefresh(db, admin);
      await expect.poll(() => newestFinished(db, "unifi", since), { timeout: 30_000, interval: 200 }).toMatchObject({ status: "ok" });
      await expect.poll(() => newestFinished(db, "npm", since), { timeout: 30_000, interval: 200 }).toMatchObject({ status: "ok" });
      expect([unifi.loginCount(), npm.counts().logins]).toEqual([unifiLogins, npmLogins]);

      // An admin saves a wrong password (in this process, as the web app does): the worker's next collection tries it.
      await saveAccounts(db, { unifi: "not-the-password", npm: "not-the-secret" });
      since = await lastId(db);
      await requestEdgeRefresh(db, admin);
      await expect
        .poll(() => newestFinished(db, "unifi", since), { timeout: 30_000, interval: 200 })
        .toMatchObject({
          status: "failed",
          error: expect.stringContaining(`UniFi refused the login for ${unifi.username}`),
        });
      await expect
        .poll(() => newestFinished(db, "npm", since), { timeout: 30_000, interval: 200 })
        .toMatchObject({
          status: "failed",
          error: expect.stringContaining(`NPM refused the login for ${npm.identity}`),
        });
      expect([unifi.loginCount(), npm.counts().logins]).toEqual([unifiLogins + 1, npmLogins + 1]);

      // The right one again: logged in again, current data again.
      await saveAccounts(db, { unifi: unifi.password, npm: npm.secret });
      since = await lastId(db);
      await requestEdgeRefresh(db, admin);
      await expect.poll(() => newestFinished(db, "unifi", since), { timeout: 30_000, interval: 200 }).toMatchObject({ status: "ok" });
      await expect.poll(() => newestFinished(db, "npm", since), { timeout: 30_000, interval: 200 }).toMatchObject({ status: "ok" });
      expect([unifi.loginCount(), npm.counts().logins]).toEqual([unifiLogins + 2, npmLogins + 2]);
    } finally {
      await stopProcess(worker);
      worker = undefined;
    }
  });

  it('"Test connection" logs in with what was typed, never answering from a kept session', async () => {
    const { db } = await createTestDatabase();
    await saveAccounts(db, { unifi: unifi.password, npm: npm.secret });
    // A collection in this process keeps a session and a token for the saved accounts.
    const clients = await resolveEdgeClients(db, secretsKey);
    await collectEdgeSnapshot(db, { source: "unifi", trigger: "manual", read: () => readUnifi(clients.unifi!), notConfigured: "-" });
    await collectEdgeSnapshot(db, { source: "npm", trigger: "manual", read: () => readNpm(clients.npm!), notConfigured: "-" });

    const typed = { baseUrl: unifi.url, tokenId: unifi.username, tlsFingerprint: unifi.fingerprint256 };
    expect(await testPanelConnection(db, env, secretsKey, "unifi", { kind: "unifi", ...typed, secret: "typo" })).toEqual({
      isOk: false,
      message: `UniFi refused the login for ${unifi.username} (401)`,
    });
    expect(
      await testPanelConnection(db, env, secretsKey, "npm", {
        kind: "npm",
        baseUrl: npm.url,
        tokenId: npm.identity,
        secret: "typo",
        tlsFingerprint: npm.fingerprint256,
      }),
    ).toEqual({ isOk: false, message: `NPM refused the login for ${npm.identity}` });
    // Testing the saved values logs in too.
    const before = unifi.loginCount();
    expect(await testPanelConnection(db, env, secretsKey, "unifi")).toMatchObject({ isOk: true });
    expect(unifi.loginCount()).toBe(before + 1);
  });

  it("a session or token older than a day is made again with the stored password", async () => {
    let now = new Date();
    const clock = () => now;
    const u = createUnifiClient({ baseUrl: unifi.url, username: unifi.username, password: unifi.password, fingerprint256: unifi.fingerprint256, now: clock });
    const n = createNpmClient({ baseUrl: npm.url, identity: npm.identity, secret: npm.secret, fingerprint256: npm.fingerprint256, now: clock });
    await u.listNetworks();
    await n.listStreams();
    const [unifiLogins, npmLogins] = [unifi.loginCount(), npm.counts().logins];
    // Within the day: reused (NPM refreshes its token near `expires` from the token itself).
    now = new Date(now.getTime() + 23 * 3600_000);
    await u.listNetworks();
    await n.listStreams();
    expect([unifi.loginCount(), npm.counts().logins]).toEqual([unifiLogins, npmLogins]);
    // Past a day since the login: logged in again with the password, whatever the refreshes did.
    now = new Date(now.getTime() + 2 * 3600_000);
    await u.listNetworks();
    await n.listStreams();
    expect([unifi.loginCount(), npm.counts().logins]).toEqual([unifiLogins + 1, npmLogins + 1]);
  });
});
