import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { JobHelpers } from "graphile-worker";
import { buildLabNpmWorld, buildLabUnifiWorld, formatLabGuestMac, USW_CORE_MAC, withLabNodeNetworks } from "@/lab/edge-world";
import { createLabInventoryWorld } from "@/lab/inventory/world";
import { startLabNpm, type LabNpm } from "@/lab/npm";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { createLabCertificate } from "@/lab/tls";
import { startLabUnifi, type LabUnifi } from "@/lab/unifi";
import type { NpmSnapshotData, UnifiSnapshotData } from "@/lib/edge/data";
import { createNpmClient, forgetNpmTokens } from "@/server/connectors/npm/client";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createUnifiClient, forgetUnifiSessions } from "@/server/connectors/unifi/client";
import { createTestDatabase } from "@/server/testing/database";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createCollectNpmTask } from "@/workers/tasks/collect-npm";
import { createCollectUnifiTask } from "@/workers/tasks/collect-unifi";
import { savePanelConnection } from "../port-security/connections";
import { collectEdgeSnapshot, readNodeNetworks, readNpm, readUnifi } from "./collector";
import { getEdgeState } from "./queries";

const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@edge.test" };
const helpers = { logger: { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} } } as unknown as JobHelpers;

let unifi: LabUnifi;
let npm: LabNpm;
let pve: LabProxmox;
// Moved by the NPM tests to go past a token's `expires` without waiting.
let npmNow = new Date("2026-11-30T00:00:00Z");

beforeAll(async () => {
  // 230 extra access switches: more than one page of 200 from the Integration API.
  unifi = await startLabUnifi({ world: buildLabUnifiWorld({ extraDevices: 230 }) });
  npm = await startLabNpm({ world: buildLabNpmWorld(npmNow), now: () => npmNow, hasLegacyBooleans: true });
  pve = await startLabProxmox({ world: withLabNodeNetworks(createLabInventoryWorld()) });
});
afterAll(async () => {
  await Promise.all([unifi.close(), npm.close(), pve.close()]);
});
beforeEach(() => {
  forgetUnifiSessions();
  forgetNpmTokens();
});

const unifiByKey = (fingerprint256 = unifi.fingerprint256) => createUnifiClient({ baseUrl: unifi.url, apiKey: unifi.apiKey, fingerprint256, timeoutMs: 5_000 });
const unifiByLogin = () =>
  createUnifiClient({ baseUrl: unifi.url, username: unifi.username, password: unifi.password, fingerprint256: unifi.fingerprint256, timeoutMs: 5_000 });
const npmClient = () => createNpmClient({ baseUrl: npm.url, identity: npm.identity, secret: npm.secret, now: () => npmNow, timeoutMs: 5_000 });

describe("UniFi collector against the lab UDM", () => {
  it("reads every page of devices, the LAG, LLDP, client ports, networks and port forwards over the pinned certificate", async () => {
    const snap = await collectEdgeSnapshot(db, { source: "unifi", trigger: "manual", read: () => readUnifi(unifiByKey()), notConfigured: "-" });
    expect(snap).toMatchObject({ status: "ok", error: null });
    expect(snap.collectedAt).toBeInstanceOf(Date);
    const data = snap.data as UnifiSnapshotData;
    expect(data.devices).toHaveLength(231);
    // The state comes from the paged Integration API: the last device is on the second page of 200.
    expect(data.devices.find((d) => d.name === "usw-access-230")).toMatchObject({ state: "ONLINE" });
    const core = data.devices.find((d) => d.mac === USW_CORE_MAC)!;
    expect(core.ports.find((p) => p.idx === 5)).toMatchObject({ name: "r630-02 eno1", lagIdx: 3, aggregatedBy: null, lldp: [{ portId: "eno1" }] });
    expect(core.ports.find((p) => p.idx === 6)).toMatchObject({ aggregatedBy: 5, lagIdx: null });
    expect(data.clients.find((c) => c.mac === formatLabGuestMac(7800))).toMatchObject({ ip: "192.168.11.170", switchMac: USW_CORE_MAC, switchPort: 5 });
    expect(data.clients.find((c) => c.hostname === "admin-laptop")).toMatchObject({ isWired: false, switchPort: null });
    // `vlan` arrives as a string; the default network has none.
    expect(data.networks.map((n) => [n.name, n.vlanId, n.subnet])).toEqual([
      ["Default", null, "192.168.11.1/24"],
      ["Hosting", 20, "10.20.0.1/24"],
      ["OOB", 99, "10.99.0.1/24"],
    ]);
    // A forward without `enabled` is on.
    expect(data.portForwards.find((f) => f.id === "pf-http")).toMatchObject({ isEnabled: true, proto: "tcp", externalPort: "80", forwardIp: "192.168.11.167" });
  });

  it("refuses a console whose certificate is not the pinned one, records the failure and keeps the last good data as stale", async () => {
    await collectEdgeSnapshot(db, { source: "unifi", trigger: "manual", read: () => readUnifi(unifiByKey()), notConfigured: "-" });
    const other = createLabCertificate();
    const failed = await collectEdgeSnapshot(db, {
      source: "unifi",
      trigger: "schedule",
      read: () => readUnifi(unifiByKey(other.fingerprint256)),
      notConfigured: "-",
    });
    expect(failed).toMatchObject({ status: "failed", data: null, collectedAt: null });
    expect(failed.error).toContain(`is not the pinned ${other.fingerprint256}`);
    const state = await getEdgeState(db);
    expect(state.unifi.data?.devices).toHaveLength(231);
    expect(state.unifi.freshness).toMatchObject({ isStale: true, error: failed.error });
  });

  it("logs in with a local account once, reuses the session, and logs in again when the session expired", async () => {
    const before = unifi.loginCount();
    await readUnifi(unifiByLogin());
    await readUnifi(unifiByLogin());
    expect(unifi.loginCount()).toBe(before + 1);
    unifi.expireSessions();
    const data = await readUnifi(unifiByLogin());
    expect(data.devices.length).toBeGreaterThan(0);
    expect(unifi.loginCount()).toBe(before + 2);
  });

  it("fails with the field named when the console answers a shape we do not know", async () => {
    const world = buildLabUnifiWorld();
    // A protocol outside the documented tcp|udp|tcp_udp, as a future firmware might send.
    world.portForwards[1] = { ...world.portForwards[1]!, proto: "sctp" as "tcp" };
    const odd = await startLabUnifi({ world });
    try {
      const client = createUnifiClient({ baseUrl: odd.url, apiKey: odd.apiKey, fingerprint256: odd.fingerprint256, timeoutMs: 5_000 });
      const snap = await collectEdgeSnapshot(db, { source: "unifi", trigger: "manual", read: () => readUnifi(client), notConfigured: "-" });
      expect(snap.status).toBe("failed");
      expect(snap.error).toMatch(/^UniFi rest\/portforward: unexpected answer at data\[1\]\.proto: /);
    } finally {
      await odd.close();
    }
  });

  it("says so when the console refuses the account", async () => {
    const bad = createUnifiClient({ baseUrl: unifi.url, username: unifi.username, password: "wrong", fingerprint256: unifi.fingerprint256, timeoutMs: 5_000 });
    const snap = await collectEdgeSnapshot(db, { source: "unifi", trigger: "manual", read: () => readUnifi(bad), notConfigured: "-" });
    expect(snap).toMatchObject({ status: "failed", error: `UniFi refused the login for ${unifi.username} (401)` });
  });
});

describe("NPM collector against the lab NPM", () => {
  it("reads proxy hosts with their locations and certificate expiry, and streams, from 0/1 booleans", async () => {
    const snap = await collectEdgeSnapshot(db, { source: "npm", trigger: "manual", read: () => readNpm(npmClient()), notConfigured: "-" });
    expect(snap.status).toBe("ok");
    const data = snap.data as NpmSnapshotData;
    expect(data.proxyHosts.find((h) => h.id === 2)).toMatchObject({
      domainNames: ["rpc.demo.sankofa"],
      forwardHost: "192.168.11.211",
      forwardPort: 8545,
      isEnabled: true,
      locations: [{ path: "/ws", forwardHost: "192.168.11.221", forwardPort: 8546 }],
      certificate: { id: 2, expiresOn: new Date(npmNow.getTime() + 7 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, ".000Z") },
    });
    expect(data.proxyHosts.find((h) => h.id === 4)).toMatchObject({ isEnabled: false, certificate: null });
    expect(data.streams).toEqual([
      { id: 1, incomingPort: 30303, forwardingHost: "192.168.11.100", forwardingPort: 30303, isTcp: true, isUdp: true, isEnabled: true },
    ]);
  });

  it("keeps its token across collections, logs in again when the token expired, and refreshes one close to its expiry", async () => {
    const start = npm.counts();
    await readNpm(npmClient());
    await readNpm(npmClient());
    expect(npm.counts().logins).toBe(start.logins + 1);
    npm.expireTokens();
    await readNpm(npmClient());
    expect(npm.counts().logins).toBe(start.logins + 2);
    // 23.5 hours on, the day-long token has half an hour left: refreshed, not a new login.
    npmNow = new Date(npmNow.getTime() + 23.5 * 3600_000);
    await readNpm(npmClient());
    expect(npm.counts()).toEqual({ logins: start.logins + 2, refreshes: start.refreshes + 1 });
    // Past `expires` altogether: a new login.
    npmNow = new Date(npmNow.getTime() + 40 * 86_400_000);
    await readNpm(npmClient());
    expect(npm.counts().logins).toBe(start.logins + 3);
  });

  it("records a failed collection when NPM is down and never shows its data as current", async () => {
    await collectEdgeSnapshot(db, { source: "npm", trigger: "manual", read: () => readNpm(npmClient()), notConfigured: "-" });
    expect((await getEdgeState(db)).npm.freshness.isStale).toBe(false);
    npm.setDown(true);
    try {
      const snap = await collectEdgeSnapshot(db, { source: "npm", trigger: "schedule", read: () => readNpm(npmClient()), notConfigured: "-" });
      expect(snap).toMatchObject({ status: "failed", data: null });
      expect(snap.error).toMatch(/503/);
    } finally {
      npm.setDown(false);
    }
    const state = await getEdgeState(db);
    expect(state.npm.freshness.isStale).toBe(true);
    expect(state.npm.data?.proxyHosts.length).toBeGreaterThan(0);
  });
});

describe("NPM collector against a lab NPMplus (HTTPS, the token only in a cookie)", () => {
  let plus: LabNpm;
  let plusNow = new Date("2026-11-30T00:00:00Z");
  beforeAll(async () => {
    plus = await startLabNpm({ world: buildLabNpmWorld(plusNow), now: () => plusNow, flavour: "npmplus" });
  });
  afterAll(() => plus.close());
  const plusClient = () =>
    createNpmClient({
      baseUrl: plus.url,
      identity: plus.identity,
      secret: plus.secret,
      fingerprint256: plus.fingerprint256,
      now: () => plusNow,
      timeoutMs: 5_000,
    });

  it("logs in, reads proxy hosts and streams (ports as strings) with the cookie, and keeps and refreshes it", async () => {
    const snap = await collectEdgeSnapshot(db, { source: "npm", trigger: "manual", read: () => readNpm(plusClient()), notConfigured: "-" });
    expect(snap).toMatchObject({ status: "ok", error: null });
    const data = snap.data as NpmSnapshotData;
    expect(data.proxyHosts.find((h) => h.id === 2)).toMatchObject({ domainNames: ["rpc.demo.sankofa"], forwardPort: 8545, certificate: { id: 2 } });
    expect(data.streams).toEqual([
      { id: 1, incomingPort: 30303, forwardingHost: "192.168.11.100", forwardingPort: 30303, isTcp: true, isUdp: true, isEnabled: true },
    ]);
    await readNpm(plusClient());
    expect(plus.counts()).toEqual({ logins: 1, refreshes: 0 });
    // Half an hour before the cookie's `expires`: refreshed with the cookie, not a new login.
    plusNow = new Date(plusNow.getTime() + 23.5 * 3600_000);
    await readNpm(plusClient());
    expect(plus.counts()).toEqual({ logins: 1, refreshes: 1 });
    // Revoked early (a restart of the console): one new login, then the read goes through.
    plus.expireTokens();
    await readNpm(plusClient());
    expect(plus.counts().logins).toBe(2);
  });

  it("says so when NPMplus refuses the account, and refuses a certificate that is not the pinned one", async () => {
    const wrong = createNpmClient({ baseUrl: plus.url, identity: plus.identity, secret: "wrong", fingerprint256: plus.fingerprint256, timeoutMs: 5_000 });
    await expect(wrong.listProxyHosts()).rejects.toMatchObject({ kind: "auth" });
    const otherPin = createLabCertificate().fingerprint256;
    const unpinned = createNpmClient({ baseUrl: plus.url, identity: plus.identity, secret: plus.secret, fingerprint256: otherPin, timeoutMs: 5_000 });
    await expect(unpinned.listProxyHosts()).rejects.toMatchObject({ kind: "tls" });
  });
});

describe("edge collection jobs", () => {
  it("collect with the connections saved in the console, and record 'not configured' without one", async () => {
    const isolated = await createTestDatabase();
    await createCollectNpmTask({ db: isolated.db, secretsKey, openJunosSession })({ trigger: "schedule" }, helpers);
    expect((await getEdgeState(isolated.db)).npm.freshness).toMatchObject({
      isStale: true,
      error: "Nginx Proxy Manager is not configured (Settings › Connections)",
    });

    await savePanelConnection(isolated.db, secretsKey, admin, { kind: "npm", baseUrl: npm.url, tokenId: npm.identity, secret: npm.secret });
    await savePanelConnection(isolated.db, secretsKey, admin, {
      kind: "unifi",
      baseUrl: unifi.url,
      secret: unifi.apiKey,
      tlsFingerprint: unifi.fingerprint256,
    });
    npmNow = new Date();
    await createCollectNpmTask({ db: isolated.db, secretsKey, openJunosSession })({ trigger: "schedule" }, helpers);
    await createCollectUnifiTask({ db: isolated.db, secretsKey, openJunosSession })({ trigger: "manual" }, helpers);
    const state = await getEdgeState(isolated.db);
    expect(state.npm.freshness).toMatchObject({ isStale: false, error: null });
    expect(state.unifi.freshness).toMatchObject({ isStale: false, error: null });
    expect(state.unifi.data?.portForwards).toHaveLength(3);
  });
});

describe("Proxmox node network collector", () => {
  it("reads each node's NICs, bonds and bridges", async () => {
    const client = createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 5_000 });
    const snap = await collectEdgeSnapshot(db, { source: "proxmox-network", trigger: "manual", read: () => readNodeNetworks(client), notConfigured: "-" });
    expect(snap.status).toBe("ok");
    const data = (await getEdgeState(db))["proxmox-network"].data!;
    const r63002 = data.nodes.find((n) => n.node === "r630-02")!;
    expect(r63002.ifaces.find((i) => i.iface === "bond0")).toMatchObject({ type: "bond", slaves: ["eno1", "eno2"], bondMode: "802.3ad", isActive: true });
    expect(r63002.ifaces.find((i) => i.iface === "vmbr0")).toMatchObject({ type: "bridge", bridgePorts: ["bond0"] });
    expect(data.nodes.find((n) => n.node === "r630-04")!.ifaces.map((i) => i.iface)).toEqual(["eno1", "vmbr0"]);
  });
});
