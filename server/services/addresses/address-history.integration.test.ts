import { randomBytes } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { addressTimeline, auditLog, switchPushes, switches } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTenantosClient } from "@/server/connectors/tenantos/client";
import { handlePortSecurityEvent } from "@/server/doors/port-security-event";
import { createTestDatabase } from "@/server/testing/database";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "@/workers/runner";
import { collectInventory } from "../inventory/collector";
import { getSettings, updateSettings } from "../platform/settings";
import { createSwitch } from "../switches/switches";
import { getAddressHistory } from "./history";
import { searchEverything } from "./search";
import { backfillAddressTimeline, pruneAddressTimeline } from "./timeline";

const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const token = "tenantos-door-token-timeline-0123456789";
const IP = "10.0.48.70";
const MAC_A = "aa:bb:cc:00:00:21";
const MAC_B = "aa:bb:cc:00:00:22";
let sw: LabSwitch;
let panel: LabTenantos;
let pve: LabProxmox;
let runner: WorkerRunner;
let switchName: string;
let switchId: number;

const conn = (port: string, portId: number) => [{ id: portId, type: "snmp_switch" as const, switchId: 3, portId, portName: port, switchAutomation: true }];

beforeAll(async () => {
  sw = await startLabSwitch({ name: `tl-${process.pid}`, dialect: "non-els", timeScale: 60, initialConfig: "set system host-name tl" });
  panel = await startLabTenantos({
    world: {
      servers: [
        { id: 21, servername: "srv-a", hostname: "a.hosting.test", pxeMac: MAC_A, ips: [], connections: conn("ge-0/0/21", 21) },
        { id: 22, servername: "srv-b", hostname: "b.hosting.test", pxeMac: MAC_B, ips: [], connections: conn("ge-0/0/22", 22) },
      ],
      subnets: [{ id: 48, subnet: "10.0.48.0/24", vlanId: 13 }],
      networkDevices: [],
    },
  });
  pve = await startLabProxmox({
    world: {
      nodes: [{ node: "r630-01", maxcpu: 32, maxmem: 2 ** 38, maxdisk: 2 ** 41 }],
      guests: [
        {
          vmid: 2301,
          name: "abuse-target",
          node: "r630-01",
          type: "qemu",
          config: { net0: "virtio=BC:24:11:00:23:01,bridge=vmbr0,tag=13", ipconfig0: "ip=10.0.48.231/24" },
        },
      ],
    },
  });
  const row = await createSwitch(
    db,
    secretsKey,
    { id: "admin" },
    { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password },
  );
  switchName = row.name;
  switchId = row.id;
  await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved", tenantosDeviceId: 3 }).where(eq(switches.id, row.id));
  await updateSettings(db, { id: "admin" }, { vlanAllowlist: "13" });
  runner = await startWorkerRunner({
    connectionString: url,
    deps: {
      db,
      secretsKey,
      openJunosSession,
      confirmMinutes: 1,
      panel: {
        tenantos: createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 3_000 }),
        proxmox: createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 3_000 }),
        untaggedVlanId: 11,
      },
    },
    concurrency: 2,
    logger: silentLogger,
  });
});
afterAll(async () => {
  await runner.stop();
  await Promise.all([sw.close(), panel.close(), pve.close()]);
});

async function send(body: object): Promise<void> {
  const res = await handlePortSecurityEvent(
    new Request("http://door/", { method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${token}` } }),
    { db, token },
  );
  expect(res.status).toBe(202);
}
const port = (iface: string) => (parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els").ports.get(iface) ?? []).map((b) => `${b.ip} ${b.mac}`);
const lastPushId = async () => (await db.select({ id: switchPushes.id }).from(switchPushes).orderBy(desc(switchPushes.id)).limit(1))[0]?.id ?? 0;
/** Waits until a push after `after` is recorded as committed (the switch holds the change a moment earlier). */
async function waitForCommit(after: number): Promise<void> {
  await expect
    .poll(async () => (await db.select({ id: switchPushes.id, status: switchPushes.status }).from(switchPushes).orderBy(desc(switchPushes.id)).limit(1))[0], {
      timeout: 15_000,
    })
    .toMatchObject({ id: expect.toSatisfy((id: number) => id > after), status: "committed" });
}
const holderNames = (h: Awaited<ReturnType<typeof getAddressHistory>>) =>
  h.holders
    .map((x) => `${x.kind} ${x.tenantos_server_id ?? x.owner ?? ""} ${x.switch ?? ""} ${x.interface ?? ""} ${x.mac ?? ""}`.replace(/\s+/g, " ").trim())
    .sort();

const moments: Record<"before" | "duringA" | "gap" | "duringB", Date> = {} as never;

describe("who had an address when", () => {
  it("follows an IP from server A's port, through a gap, to server B's port on another port", async () => {
    moments.before = new Date();
    await new Promise((r) => setTimeout(r, 5));
    let pushed = await lastPushId();
    panel.world.servers[0]!.ips = [{ ip: IP, subnetId: 48, isPrimary: true }];
    await send({ action: "ip_assigned", serverId: 21, ip: IP });
    await expect.poll(() => port("ge-0/0/21.0"), { timeout: 15_000 }).toEqual([`${IP} ${MAC_A}`]);
    await waitForCommit(pushed);
    moments.duringA = new Date();

    pushed = await lastPushId();
    panel.world.servers[0]!.ips = [];
    await send({ action: "ip_removed", serverId: 21, ip: IP });
    await expect.poll(() => port("ge-0/0/21.0"), { timeout: 15_000 }).toEqual([]);
    await waitForCommit(pushed);
    moments.gap = new Date();

    pushed = await lastPushId();
    panel.world.servers[1]!.ips = [{ ip: IP, subnetId: 48, isPrimary: true }];
    await send({ action: "ip_assigned", serverId: 22, ip: IP });
    await expect.poll(() => port("ge-0/0/22.0"), { timeout: 15_000 }).toEqual([`${IP} ${MAC_B}`]);
    await waitForCommit(pushed);
    moments.duringB = new Date();

    const history = await getAddressHistory(db, IP);
    // IPAM follows the panel: the push records the address in use for its server, and the push that
    // takes it off the port releases it (#23), so IPAM's periods match the others'.
    expect(history.timeline.map((e) => [e.kind, e.interface ?? e.tenantos_server_id ?? e.owner, e.mac ?? null, e.to === null ? "open" : "closed"])).toEqual([
      ["tenantos_assignment", 21, null, "closed"],
      ["switch_binding", "ge-0/0/21.0", MAC_A, "closed"],
      ["ipam", "Tenantos server 21", null, "closed"],
      ["tenantos_assignment", 22, null, "open"],
      ["switch_binding", "ge-0/0/22.0", MAC_B, "open"],
      ["ipam", "Tenantos server 22", null, "open"],
    ]);
    // Each period carries its evidence: the event and the pushes that opened and closed it.
    const bindingA = history.timeline.find((e) => e.kind === "switch_binding")!;
    expect(bindingA).toMatchObject({ switch: switchName, evidence: { type: "switch_push" }, end_evidence: { type: "switch_push" }, tenantos_server_id: 21 });
    expect(history.timeline[0]!.evidence.type).toBe("port_security_event");
    expect(history.timeline.every((e) => e.from.endsWith("Z") && (e.to === null || e.to.endsWith("Z")))).toBe(true);
    expect(history.coverage).toEqual({ is_complete: true, gaps: [] });
  });

  it("answers at= at four moments with exactly the holder, port and MAC of each", async () => {
    const at = (d: Date) => getAddressHistory(db, IP, { at: d });
    const before = await at(moments.before);
    expect(before.holders).toEqual([]);
    expect(before.coverage.is_complete).toBe(true);
    expect(holderNames(await at(moments.duringA))).toEqual([
      "ipam Tenantos server 21",
      `switch_binding 21 ${switchName} ge-0/0/21.0 ${MAC_A}`,
      "tenantos_assignment 21",
    ]);
    const gap = await at(moments.gap);
    expect(gap.holders).toEqual([]);
    expect(gap.coverage.is_complete).toBe(true);
    expect(holderNames(await at(moments.duringB))).toEqual([
      "ipam Tenantos server 22",
      `switch_binding 22 ${switchName} ge-0/0/22.0 ${MAC_B}`,
      "tenantos_assignment 22",
    ]);
    expect((await at(moments.duringB)).at).toBe(moments.duringB.toISOString());
  });

  it("a window gives the periods overlapping it, both servers", async () => {
    const w = await getAddressHistory(db, IP, { from: moments.duringA, to: moments.duringB });
    expect(new Set(w.holders.map((h) => h.tenantos_server_id).filter(Boolean))).toEqual(new Set([21, 22]));
    const onlyA = await getAddressHistory(db, IP, { from: moments.before, to: moments.duringA });
    expect(onlyA.timeline.map((e) => e.tenantos_server_id ?? e.owner)).toEqual([21, 21, "Tenantos server 21"]);
  });

  it("finds the binding from its MAC written in each usual form", async () => {
    for (const form of [MAC_B, MAC_B.toUpperCase().replaceAll(":", "-"), "aabb.cc00.0022", "AABBCC000022"]) {
      const answer = await searchEverything(db, form);
      expect(answer.redirect, form).toBe(`/it/addresses/${MAC_B}`);
      expect(answer.results[0], form).toMatchObject({ kind: "mac", label: MAC_B, detail: `${switchName} ge-0/0/22.0 · ${IP}`, rank: 0 });
    }
    // A prefix finds both servers' MACs; the closed binding says until when.
    const prefix = await searchEverything(db, "AA:BB:CC:00:00");
    expect(prefix.redirect).toBeNull();
    expect(prefix.results.filter((r) => r.kind === "mac").map((r) => r.label)).toEqual(expect.arrayContaining([MAC_A, MAC_B]));
    // The MAC's own history names its port.
    const byMac = await getAddressHistory(db, "aabb.cc00.0021");
    expect(byMac.timeline).toEqual([expect.objectContaining({ kind: "switch_binding", interface: "ge-0/0/21.0", address: IP })]);
  });

  it("finds the address, the port and the server by what people type", async () => {
    const ip = await searchEverything(db, IP);
    expect(ip.redirect).toBe(`/it/addresses/${IP}`);
    expect(ip.results[0]).toMatchObject({ kind: "address", label: IP });
    const swPort = await searchEverything(db, `${switchName} ge-0/0/22`);
    expect(swPort.results[0]).toMatchObject({ kind: "switch_port", label: `${switchName} ge-0/0/22.0`, href: `/it/switches/${switchId}?port=ge-0/0/22.0` });
    const server = await searchEverything(db, "22");
    expect(server.results.find((r) => r.kind === "tenantos_server")).toMatchObject({ label: "Tenantos server 22", detail: IP });
    expect((await searchEverything(db, switchName.slice(0, 4))).results.find((r) => r.kind === "switch")?.label).toBe(switchName);
    // The panel's hostname, kept when the event's server was read: to its primary IP's page.
    expect((await searchEverything(db, "b.hosting.test")).results[0]).toMatchObject({
      kind: "tenantos_server",
      label: "b.hosting.test",
      href: `/it/addresses/${IP}`,
      detail: `Tenantos server 22 · srv-b · ${IP}`,
      rank: 0,
    });
  });

  it("a guest seen by two collections holds one open period; a collection that no longer sees it closes it", async () => {
    const client = createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 3_000 });
    const first = await collectInventory(db, { client, trigger: "manual" });
    const second = await collectInventory(db, { client, trigger: "manual" });
    expect([first.status, second.status]).toEqual(["ok", "ok"]);
    const open = await getAddressHistory(db, "10.0.48.231");
    expect(open.timeline).toEqual([
      expect.objectContaining({
        kind: "guest",
        vmid: 2301,
        hostname: "abuse-target",
        node: "r630-01",
        mac: "bc:24:11:00:23:01",
        to: null,
        evidence: { type: "inventory_snapshot", id: String(first.id) },
      }),
    ]);
    expect(open.timeline[0]!.last_seen_at).toBe(second.collectedAt!.toISOString());
    expect((await searchEverything(db, "abuse-tar")).results.find((r) => r.kind === "guest")).toMatchObject({
      label: "VMID 2301 abuse-target",
      href: "/it/addresses/10.0.48.231",
    });

    pve.world.guests.splice(0, 1);
    const third = await collectInventory(db, { client, trigger: "manual" });
    const closed = await getAddressHistory(db, "10.0.48.231");
    expect(closed.timeline).toEqual([
      expect.objectContaining({ kind: "guest", to: third.collectedAt!.toISOString(), end_evidence: { type: "inventory_snapshot", id: String(third.id) } }),
    ]);
  });

  it("says so when no collection ran at the moment asked, instead of naming nobody", async () => {
    const later = new Date(Date.now() + 20 * 86_400_000);
    const answer = await getAddressHistory(db, "10.0.48.231", { at: later }, new Date(Date.now() + 30 * 86_400_000));
    expect(answer.holders).toEqual([]);
    expect(answer.coverage.is_complete).toBe(false);
    expect(answer.coverage.gaps).toEqual([expect.objectContaining({ reason: "no inventory collection ran: guests are unknown" })]);
  });

  it("IPAM ownership is a period of its own, kept by the database on every write", async () => {
    // An address no push has touched (the pushed one is IPAM's through the panel, above).
    const ADDR = "10.0.48.80";
    await db.execute(sql`insert into ipam_addresses (address, hostname, owner_team, status) values (${ADDR}::inet, 'abuse-web', 'hosting', 'active')`);
    await db.execute(sql`update ipam_addresses set owner_team = 'noc' where address = ${ADDR}::inet`);
    // The service under an owning team is not the owner: no new period.
    await db.execute(sql`update ipam_addresses set service = 'web' where address = ${ADDR}::inet`);
    const ipam = (await getAddressHistory(db, ADDR)).timeline.filter((e) => e.kind === "ipam");
    expect(ipam.map((e) => [e.owner, e.to === null])).toEqual([
      ["hosting", false],
      ["noc", true],
    ]);
  });

  it("the one-off backfill rebuilds switch periods from the stored pushes", async () => {
    await db.delete(addressTimeline).where(eq(addressTimeline.kind, "switch_binding"));
    await db.execute(sql`update address_timeline_coverage set backfilled_at = null`);
    expect(await backfillAddressTimeline(db)).toMatchObject({ pushes: 3 });
    const history = await getAddressHistory(db, IP, { at: moments.duringA });
    expect(holderNames(history)).toEqual(["ipam Tenantos server 21", `switch_binding 21 ${switchName} ge-0/0/21.0 ${MAC_A}`, "tenantos_assignment 21"]);
    expect(holderNames(await getAddressHistory(db, IP, { at: moments.gap }))).toEqual([]);
    expect(await backfillAddressTimeline(db)).toBeNull();
  });

  it("pruning drops only closed periods past the retention, and the answer then says the record was pruned", async () => {
    // The retention is a setting (400 days unless changed); a change is audited.
    expect((await getSettings(db)).timelineRetentionDays).toBe(400);
    await updateSettings(db, { id: "admin" }, { timelineRetentionDays: "500" });
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "settings.update"), eq(auditLog.entityId, "timelineRetentionDays")));
    expect(audit).toMatchObject({ actor: "admin", before: 400, after: 500 });
    expect(await pruneAddressTimeline(db, 500)).toBe(0);
    await pruneAddressTimeline(db, 0);
    const answer = await getAddressHistory(db, IP, { at: moments.duringA });
    expect(answer.holders).toEqual([]);
    expect(answer.coverage.gaps).toEqual([expect.objectContaining({ reason: "pruned: older than the retention" })]);
    // What the address holds now is never pruned.
    expect(holderNames(await getAddressHistory(db, IP, { at: new Date() }))).toEqual([
      "ipam Tenantos server 22",
      `switch_binding 22 ${switchName} ge-0/0/22.0 ${MAC_B}`,
      "tenantos_assignment 22",
    ]);
  });
});
