import { randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { labDedicatedServer, startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { portSecurityEvents, switchPushes, switches, vmacs } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTenantosClient } from "@/server/connectors/tenantos/client";
import { handlePortSecurityEvent } from "@/server/doors/port-security-event";
import { handleProvisioningEvent } from "@/server/doors/provisioning-event";
import { createTestDatabase } from "@/server/testing/database";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "@/workers/runner";
import { confirmNodeServer } from "./proxmox-nodes";
import { updateSettings } from "../platform/settings";
import { createSwitch } from "../switches/switches";

const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const token = "tenantos-door-token-0123456789abcdef";
let sw: LabSwitch;
let panel: LabTenantos;
let pve: LabProxmox;
let runner: WorkerRunner;

// A port id is the network device's (unique on it); its name is served on the device, as Tenantos does.
const conn = (port: string, portId: number, isOn = true) => [
  { id: portId, type: "snmp_switch" as const, switchId: 3, portId, portName: port, switchAutomation: isOn },
];

beforeAll(async () => {
  sw = await startLabSwitch({
    name: `ps-${process.pid}`,
    dialect: "non-els",
    timeScale: 60,
    initialConfig: "set system host-name ps\nset ethernet-switching-options secure-access-port interface ge-0/0/12.0 mac-limit 3",
  });
  panel = await startLabTenantos({
    world: {
      servers: [
        labDedicatedServer({
          ips: [
            { ip: "10.0.48.5", subnetId: 48, isPrimary: true },
            { ip: "10.0.48.6", subnetId: 48, isPrimary: false },
            { ip: "10.0.48.7", subnetId: 48, isPrimary: false },
            { ip: "10.0.99.8", subnetId: 99, isPrimary: false },
          ],
        }),
        {
          id: 8,
          servername: "pve-node",
          hostname: "r630-01.hosting.test",
          pxeMac: "aa:bb:cc:00:00:08",
          ips: [{ ip: "10.0.11.10", subnetId: 11, isPrimary: true }],
          connections: conn("ae0", 100),
        },
        {
          id: 9,
          servername: "manual",
          hostname: "manual",
          pxeMac: "aa:bb:cc:00:00:09",
          ips: [{ ip: "10.0.48.9", subnetId: 48, isPrimary: true }],
          connections: conn("ge-0/0/9", 9, false),
        },
        {
          id: 11,
          servername: "new box #11",
          hostname: "new-11",
          pxeMac: "aa:bb:cc:00:00:0b",
          ips: [{ ip: "10.0.48.11", subnetId: 48, isPrimary: true }],
          connections: conn("ge-0/0/14", 14),
        },
        {
          id: 10,
          servername: "loose",
          hostname: "loose",
          pxeMac: "aa:bb:cc:00:00:0a",
          ips: [{ ip: "10.0.48.10", subnetId: 48, isPrimary: true }],
          connections: [],
        },
      ],
      subnets: [
        { id: 48, subnet: "10.0.48.0/24", vlanId: 13 },
        { id: 99, subnet: "10.0.99.0/24", vlanId: 99 },
        { id: 11, subnet: "10.0.11.0/24", vlanId: 11 },
      ],
      networkDevices: [],
    },
  });
  pve = await startLabProxmox({
    world: {
      nodes: [{ node: "r630-01", maxcpu: 32, maxmem: 2 ** 38, maxdisk: 2 ** 41 }],
      guests: [
        {
          vmid: 2101,
          name: "rpc-1",
          node: "r630-01",
          type: "qemu",
          config: { net0: "virtio=BC:24:11:00:21:01,bridge=vmbr0,tag=13", ipconfig0: "ip=10.0.48.211/24" },
        },
        { vmid: 7800, name: "portal", node: "r630-01", type: "lxc", config: { net0: "name=eth0,hwaddr=BC:24:11:00:78:00,bridge=vmbr0,ip=10.0.11.170/24" } },
      ],
    },
  });
  const row = await createSwitch(
    db,
    secretsKey,
    { id: "admin" },
    { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password },
  );
  await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved", tenantosDeviceId: 3 }).where(eq(switches.id, row.id));
  await db.insert(vmacs).values({ ip: "10.0.48.6", mac: "02:00:0a:00:30:06", serverId: 7 });
  await updateSettings(db, { id: "admin" }, { vlanAllowlist: "11, 13" });
  // Server 8 is node r630-01: an admin's confirmed mapping, never inferred from its hostname.
  await confirmNodeServer(db, { id: "admin" }, { node: "r630-01", serverId: 8 });
  const panelDeps = {
    tenantos: createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 3_000 }),
    proxmox: createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 3_000 }),
    untaggedVlanId: 11,
  };
  runner = await startWorkerRunner({
    connectionString: url,
    deps: { db, secretsKey, openJunosSession, confirmMinutes: 1, panel: panelDeps },
    concurrency: 4,
    logger: silentLogger,
  });
});
afterAll(async () => {
  await runner.stop();
  await Promise.all([sw.close(), panel.close(), pve.close()]);
});

async function send(body: object): Promise<number> {
  const res = await handlePortSecurityEvent(
    new Request("http://door/", { method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${token}` } }),
    { db, token },
  );
  expect(res.status).toBe(202);
  return ((await res.json()) as { eventId: number }).eventId;
}
const port = (iface: string) => (parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els").ports.get(iface) ?? []).map((b) => `${b.ip} ${b.mac} ${b.vlan}`);
const eventRow = async (id: number) => (await db.select().from(portSecurityEvents).where(eq(portSecurityEvents.id, id)))[0]!;

describe("port security from the panel, on the lab", () => {
  it("ip_assigned on a dedicated server: PXE MAC for the primary, VMACs for the rest, skips recorded", async () => {
    const id = await send({ action: "ip_assigned", serverId: 7, ip: "10.0.48.6" });
    await expect.poll(() => port("ge-0/0/12.0"), { timeout: 15_000 }).toEqual(["10.0.48.5 aa:bb:cc:00:00:07 VLAN.13", "10.0.48.6 02:00:0a:00:30:06 VLAN.13"]);
    expect(sw.state.displaySet()).toContain("ge-0/0/12.0 mac-limit 3");
    // The switch holds the bindings a moment before the push is recorded as committed.
    const committed = async () => (await db.select().from(switchPushes).where(eq(switchPushes.status, "committed")).orderBy(desc(switchPushes.id)).limit(1))[0];
    await expect.poll(committed, { timeout: 5_000 }).toBeDefined();
    // The event's outcome follows the push: done once its port is clean.
    await expect.poll(async () => (await eventRow(id)).status, { timeout: 5_000 }).toBe("done");
    expect(await eventRow(id)).toMatchObject({ interface: "ge-0/0/12.0", jobId: expect.any(Number) });
    expect((await committed())!.skipped).toEqual([
      { subject: "ge-0/0/12.0: 10.0.48.7", reason: "additional IP without an active VMAC" },
      { subject: "ge-0/0/12.0: 10.0.99.8", reason: "VLAN 99 is not in the allowlist" },
    ]);
  });

  it("ip_assigned on a Proxmox node: its uplink carries every VM's binding", async () => {
    await send({ action: "ip_assigned", serverId: 8, ip: "10.0.11.10" });
    await expect.poll(() => port("ae0.0"), { timeout: 15_000 }).toEqual(["10.0.11.170 bc:24:11:00:78:00 VLAN.11", "10.0.48.211 bc:24:11:00:21:01 VLAN.13"]);
  });

  it("a provisioned server gets its port set up: description and initial bindings", async () => {
    const provision = (body: unknown) =>
      handleProvisioningEvent(new Request("http://door/", { method: "POST", body: JSON.stringify(body), headers: { authorization: `Bearer ${token}` } }), {
        db,
        token,
      });
    const bad = await provision({ serverId: "eleven" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain("serverId");
    const res = await provision({ serverId: 11 });
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: number };
    await expect.poll(() => port("ge-0/0/14.0"), { timeout: 15_000 }).toEqual(["10.0.48.11 aa:bb:cc:00:00:0b VLAN.13"]);
    expect(sw.state.displaySet()).toContain("set interfaces ge-0/0/14 description srv-11-new-box-11");
    await expect.poll(async () => (await eventRow(eventId)).status, { timeout: 5_000 }).toBe("done");
    expect(await eventRow(eventId)).toMatchObject({ action: "server_provisioned", interface: "ge-0/0/14.0" });
  });

  it("records why nothing was done when a requirement is unmet", async () => {
    const off = await send({ action: "ip_assigned", serverId: 9, ip: "10.0.48.9" });
    const loose = await send({ action: "ip_assigned", serverId: 10, ip: "10.0.48.10" });
    await expect.poll(async () => (await eventRow(off)).status, { timeout: 10_000 }).toBe("skipped");
    // The skip names the field that was off, and where it came from.
    expect((await eventRow(off)).skipReason).toBe(
      "snmp_switch connection 9 (device 3, port id 9): related_data.meta.switchAutomation is off for this switch connection",
    );
    await expect
      .poll(async () => (await eventRow(loose)).skipReason, { timeout: 10_000 })
      .toMatch(
        /^the server has no snmp_switch connection in Tenantos \(GET \/api\/servers\/10\/connections\), and no Proxmox guest is configured with any of its IPs \(10\.0\.48\.10\)$/,
      );
    expect(port("ge-0/0/9.0")).toEqual([]);
  });

  it("ip_removed and server_deleted converge", async () => {
    panel.world.servers[0]!.ips = panel.world.servers[0]!.ips.filter((i) => i.ip !== "10.0.48.6");
    await send({ action: "ip_removed", serverId: 7, ip: "10.0.48.6" });
    await expect.poll(() => port("ge-0/0/12.0"), { timeout: 15_000 }).toEqual(["10.0.48.5 aa:bb:cc:00:00:07 VLAN.13"]);
    // The removed IP gave its VMAC back.
    expect((await db.select().from(vmacs).where(eq(vmacs.ip, "10.0.48.6")))[0]!.releasedAt).not.toBeNull();

    panel.world.servers.splice(0, 1);
    await send({ action: "server_deleted", serverId: 7 });
    await expect.poll(() => port("ge-0/0/12.0"), { timeout: 15_000 }).toEqual([]);
    expect(sw.state.displaySet()).toContain("ge-0/0/12.0 mac-limit 3");
  });
});
