import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_RANGE_PORT } from "@/lab/demo-world";
import { type LabSwitch } from "@/lab/junos/ssh-switch";
import { type LabTenantos } from "@/lab/tenantos";
import { portSecurityEvents, switchPushes, vmacs } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createOutsideSystems } from "@/server/connectors/outside-systems";
import { acceptPortSecurityEvent } from "./events";
import { createTestDatabase } from "@/server/testing/database";
import { startDemoWorld, type DemoWorld } from "@/server/testing/demo-world";
import { processServerEvents } from "./processing";
import { countSwitchAlerts } from "../switches/alerts";
import { backupSwitch } from "../switches/backup-run";

// Port security against the panel as Tenantos documents it (the lab serves exactly those shapes):
// a bond over two switches, a VM server on a node, a range-mode subnet, a switch naming its VLANs
// its own way, and destructive events checked with the panel before anything is cut.
const { db, url } = await createTestDatabase();
const key = randomBytes(32);
let world: DemoWorld;
let ex4200: LabSwitch;
let ex3400: LabSwitch;
let tenantos: LabTenantos;
let ids: DemoWorld["ids"];

beforeAll(async () => {
  world = await startDemoWorld({ db, url, secretsKey: key, prefix: "tn" });
  ({ ex4200, ex3400, tenantos, ids } = world);
});
afterAll(() => world?.close());

const on = (sw: LabSwitch, dialect: "els" | "non-els", iface: string) =>
  (parseBindingsFromDisplaySet(sw.state.displaySet(), dialect).ports.get(iface) ?? []).map((b) => `${b.ip} ${b.mac} ${b.vlan}`);
const send = async (e: { action: "ip_assigned" | "ip_removed" | "server_deleted"; serverId: number; ip?: string }) => (await acceptPortSecurityEvent(db, e)).id;
const eventRow = async (id: number) => (await db.select().from(portSecurityEvents).where(eq(portSecurityEvents.id, id)))[0]!;
const lastPushSkips = async (switchId: number) =>
  ((await db.select().from(switchPushes).where(eq(switchPushes.switchId, switchId)).orderBy(desc(switchPushes.id)).limit(1))[0]?.skipped ?? []) as Array<{
    subject: string;
    reason: string;
  }>;

describe("port security on the panel as Tenantos documents it", () => {
  it("a server bonded over two switches gets its bindings on both ports, each VLAN named as its switch names it", async () => {
    await send({ action: "ip_assigned", serverId: 206, ip: "10.13.0.51" });
    await expect.poll(() => on(ex4200, "non-els", "ge-0/0/8.0"), { timeout: 15_000 }).toEqual(["10.13.0.51 aa:bb:cc:02:06:00 VLAN.13"]);
    // The PXE MAC came from the dhcp connection; on the EX3400, VLAN 13 is `v13-customers`.
    await expect.poll(() => on(ex3400, "els", "ge-0/0/8.0"), { timeout: 15_000 }).toEqual(["10.13.0.51 aa:bb:cc:02:06:00 v13-customers"]);
  });

  it("a range-mode subnet's IP takes the VLAN the switch port carries, never a default", async () => {
    await send({ action: "ip_assigned", serverId: 208, ip: "10.20.0.61" });
    await expect.poll(() => on(ex4200, "non-els", `${DEMO_RANGE_PORT.interface}.0`), { timeout: 15_000 }).toEqual(["10.20.0.61 aa:bb:cc:02:08:00 VLAN.20"]);
  });

  it("an event for a customer VM refreshes its node's uplink with the IPs Tenantos gives the VM", async () => {
    tenantos.world.servers.find((s) => s.id === 207)!.ips.push({ ip: "192.168.11.216", subnetId: 11, isPrimary: false });
    const id = await send({ action: "ip_assigned", serverId: 207, ip: "192.168.11.216" });
    await expect
      .poll(() => on(ex3400, "els", "ae0.0").filter((l) => l.startsWith("192.168.11.21")), { timeout: 15_000 })
      .toEqual(["192.168.11.211 bc:24:11:00:08:35 v11-infra", "192.168.11.215 bc:24:11:00:08:35 v11-infra", "192.168.11.216 bc:24:11:00:08:35 v11-infra"]);
    await expect.poll(async () => (await eventRow(id)).status, { timeout: 10_000 }).toBe("done");
    expect(await eventRow(id)).toMatchObject({ switchId: ids.ex3400, interface: "ae0.0" });
  });

  it("a VM on a node nobody mapped is skipped, naming the node", async () => {
    // VM 2102 (192.168.11.212) runs on r630-02, which is no Tenantos server's node.
    tenantos.world.servers.push({
      id: 209,
      servername: "besu-rpc-2",
      hostname: "besu-rpc-2.demo.sankofa",
      ips: [{ ip: "192.168.11.212", subnetId: 11, isPrimary: true }],
      connections: [],
    });
    const id = await send({ action: "ip_assigned", serverId: 209, ip: "192.168.11.212" });
    await expect.poll(async () => (await eventRow(id)).status, { timeout: 10_000 }).toBe("skipped");
    expect((await eventRow(id)).skipReason).toContain("VM 2102 on Proxmox node r630-02, which is not mapped to a Tenantos server");
  });

  it("a VLAN the switch does not define is skipped with that reason, and retried once a backup shows it defined", async () => {
    const world = tenantos.world;
    world.subnets.push({ id: 77, subnet: "10.77.0.0/24", vlanId: 77 });
    world.servers.find((s) => s.id === 201)!.ips.push({ ip: "10.77.0.5", subnetId: 77, isPrimary: false });
    await db.insert(vmacs).values({ ip: "10.77.0.5", mac: "02:00:0a:4d:00:05", serverId: 201 });
    await send({ action: "ip_assigned", serverId: 201, ip: "10.77.0.5" });
    await expect.poll(() => on(ex4200, "non-els", "ge-0/0/5.0"), { timeout: 15_000 }).toEqual(["10.13.0.21 aa:bb:cc:02:01:00 VLAN.13"]);
    await expect
      .poll(async () => (await lastPushSkips(ids.ex4200)).find((s) => s.subject.includes("10.77.0.5"))?.reason, { timeout: 5_000 })
      .toContain("VLAN 77 is not defined on the switch");
    // The dashboard says a binding is held back (once the push's record is finished, which may land
    // a moment after its skips are readable).
    await expect.poll(async () => (await countSwitchAlerts(db)).undefinedVlanSkips, { timeout: 5_000 }).toBe(1);

    // Someone defines VLAN 77 on the switch; the next backup shows it and the port is pushed again.
    const s = await openJunosSession({
      host: ex4200.host,
      port: ex4200.port,
      username: ex4200.username,
      password: ex4200.password,
      hostKeyFingerprint: ex4200.hostKeyFingerprint,
    });
    await s.run("configure");
    await s.run("set vlans VLAN.77 vlan-id 77");
    await s.run("commit");
    await s.close();
    await backupSwitch({ db, secretsKey: key, openSession: openJunosSession }, ids.ex4200, "on-demand");
    await expect
      .poll(() => on(ex4200, "non-els", "ge-0/0/5.0"), { timeout: 15_000 })
      .toEqual(["10.13.0.21 aa:bb:cc:02:01:00 VLAN.13", "10.77.0.5 02:00:0a:4d:00:05 VLAN.77"]);
    await expect.poll(async () => (await countSwitchAlerts(db)).undefinedVlanSkips, { timeout: 5_000 }).toBe(0);
  });

  it("a server_deleted Tenantos does not confirm wipes nothing; ip_removed for an IP still assigned keeps its VMAC", async () => {
    const before = on(ex4200, "non-els", "ge-0/0/5.0");
    const forged = await send({ action: "server_deleted", serverId: 201 });
    await expect.poll(async () => (await eventRow(forged)).status, { timeout: 10_000 }).toBe("skipped");
    expect((await eventRow(forged)).skipReason).toBe("Tenantos still has server 201: a server_deleted it does not confirm wipes nothing");
    const replayed = await send({ action: "ip_removed", serverId: 201, ip: "10.77.0.5" });
    await expect.poll(async () => (await eventRow(replayed)).status, { timeout: 10_000 }).toBe("skipped");
    expect((await eventRow(replayed)).skipReason).toBe("Tenantos still assigns 10.77.0.5 to server 201: its VMAC is kept");
    expect((await db.select().from(vmacs).where(eq(vmacs.ip, "10.77.0.5")))[0]!.releasedAt).toBeNull();
    expect(on(ex4200, "non-els", "ge-0/0/5.0")).toEqual(before);

    // Confirmed by the panel (the server is gone: 404), the deletion wipes the port. (The forged one
    // is made older than the door's 5-minute window, or this delivery would count as its repeat.)
    await db
      .update(portSecurityEvents)
      .set({ receivedAt: new Date(Date.now() - 600_000) })
      .where(eq(portSecurityEvents.id, forged));
    tenantos.world.servers = tenantos.world.servers.filter((s) => s.id !== 201);
    await send({ action: "server_deleted", serverId: 201 });
    await expect.poll(() => on(ex4200, "non-els", "ge-0/0/5.0"), { timeout: 15_000 }).toEqual([]);
    expect((await db.select().from(vmacs).where(eq(vmacs.ip, "10.77.0.5")))[0]!.releasedAt).not.toBeNull();
  });

  it("a panel answer missing a documented field ends the event skipped, naming the field and its path", async () => {
    // A panel whose switch connection has no switchId (today's code made it NaN and sent it to SQL).
    const odd = http.createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const result = path.endsWith("/connections")
        ? [{ id: 5, agentId: 1, serverId: 301, types: ["snmp_switch"], agent_details: {}, related_data: { id: 5, type: "snmp_switch", meta: { portId: 1 } } }]
        : { id: 301, servername: "odd", hostname: "odd", primaryip: "10.13.0.90" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ result, message: "success" }));
    });
    await new Promise<void>((r) => odd.listen(0, "127.0.0.1", r));
    try {
      const oddPanel = createOutsideSystems({
        tenantos: { baseUrl: `http://127.0.0.1:${(odd.address() as AddressInfo).port}`, apiKey: "k" },
        untaggedVlanId: 11,
      })!;
      // Stored without its job: the world's worker (which reads the lab panel) must not take it
      // first, as it could when the machine is loaded (this test was flaky that way).
      const [{ id }] = (await db
        .insert(portSecurityEvents)
        .values({ action: "ip_assigned", serverId: 301, ip: "10.13.0.90", dedupeKey: "ip_assigned|301|10.13.0.90" })
        .returning({ id: portSecurityEvents.id })) as [{ id: number }];
      const outcome = await processServerEvents(db, oddPanel, 301);
      expect(outcome).toEqual({ status: "skipped", reason: "Tenantos /servers/301/connections: result[0].related_data.meta.switchId is missing" });
      expect(await eventRow(id)).toMatchObject({ status: "skipped", skipReason: outcome && "reason" in outcome ? outcome.reason : "" });
    } finally {
      await new Promise<void>((r) => odd.close(() => r()));
    }
  });
});
