import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ipamAddresses, panelPorts, pendingChanges, proxmoxNodeServers, switchPortBindings, switches } from "@/drizzle/schema";
import { ROLES } from "@/lib/auth/roles";
import { createTestDatabase } from "@/server/testing/database";
import { startDemoWorld, type DemoWorld } from "@/server/testing/demo-world";
import { computeDesiredPorts } from "../port-state/desired";
import { storeBackup } from "../switches/backups";
import { syncPanelPorts } from "../port-security/tenantos-port-sync";
import { decideApproval, listApprovals, requestAddressUpdate, requestNodeServerChange, requestSwitchDelete, type PendingOutcome } from "./approvals";
import type { Actor } from "./audit";

const { db, url } = await createTestDatabase();
const key = randomBytes(32);
const IDP = "https://idp.test.sankofa/realms/sankofa";
const a: Actor = { id: "a@test.sankofa", issuer: IDP, subject: "sub-a", roles: [ROLES.admin] };
const c: Actor = { id: "c@test.sankofa", issuer: IDP, subject: "sub-c", roles: [ROLES.admin] };
let world: DemoWorld;
const deps = () => ({ secretsKey: key, panel: world.panel });
const show = (b: { ip: string; mac: string; vlan: string }) => `${b.ip} ${b.mac} ${b.vlan}`;

beforeAll(async () => {
  world = await startDemoWorld({ db, url, secretsKey: key, prefix: "rm" });
  await syncPanelPorts(db, world.panel);
});
afterAll(() => world?.close());

/** What the one plan gives a node's uplink now: the bindings an unmapping must list. */
async function uplinkOf(node: string) {
  const [port] = await db.select().from(panelPorts).where(eq(panelPorts.proxmoxNode, node));
  const [desired] = await computeDesiredPorts({ db, panel: world.panel }, port!.switchId, [port!.interface]);
  const [sw] = await db.select({ name: switches.name }).from(switches).where(eq(switches.id, port!.switchId));
  return { port: port!, where: `${sw!.name} ${port!.interface}`, bindings: desired!.bindings };
}

describe("every way to cut many customers off waits for a second admin", () => {
  it("unmapping a Proxmox node waits, listing every VM binding it takes off the uplink; approved, it acts", async () => {
    const uplink = await uplinkOf("r630-04");
    expect(uplink.bindings.length).toBeGreaterThan(0);
    const asked = (await requestNodeServerChange(db, deps(), a, { node: "r630-04", serverId: null })) as PendingOutcome;
    expect(asked.status).toBe("pending");
    // Nothing moved: the node is still mapped, the port still an uplink.
    expect(await db.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, "r630-04"))).toHaveLength(1);
    expect((await db.select().from(panelPorts).where(eq(panelPorts.interface, uplink.port.interface)))[0]!.kind).toBe("vm-node");
    // Every binding the plan gives the uplink that the dedicated server's own port would not hold is listed as removed.
    const lines = asked.summary.split("\n");
    expect(lines[0]).toBe("unmap node r630-04 from Tenantos server 205");
    const removed = lines.filter((l) => l.startsWith(`${uplink.where}: remove `)).map((l) => l.slice(`${uplink.where}: remove `.length));
    expect(removed.length).toBeGreaterThan(0);
    expect(uplink.bindings.map(show)).toEqual(expect.arrayContaining(removed));
    // The queue shows the same.
    const view = (await listApprovals(db, "pending", deps())).find((r) => r.id === asked.approvalId)!;
    expect(view.now).toMatchObject({ lines, isMoved: false });
    expect(await decideApproval(db, c, asked.approvalId, "approve", { deps: deps() })).toMatchObject({ status: "applied" });
    expect(await db.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, "r630-04"))).toHaveLength(0);
  });

  it("re-pointing a node to another server waits too, naming the bindings it removes", async () => {
    const uplink = await uplinkOf("r630-01");
    const asked = (await requestNodeServerChange(db, deps(), a, { node: "r630-01", serverId: 205 })) as PendingOutcome;
    expect(asked.status).toBe("pending");
    expect(asked.summary.split("\n")[0]).toBe("map node r630-01 to Tenantos server 205 (was 204)");
    expect(asked.summary).toContain(`${uplink.where}: remove `);
    await decideApproval(db, c, asked.approvalId, "reject", { deps: deps() });
    expect((await db.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, "r630-01")))[0]!.tenantosServerId).toBe(204);
  });

  it("mapping a dedicated server as a node waits when its own binding leaves its port; a mapping that removes nothing acts at once", async () => {
    const asked = (await requestNodeServerChange(db, deps(), a, { node: "r630-04", serverId: 205 })) as PendingOutcome;
    expect(asked.status).toBe("pending");
    expect(asked.summary).toMatch(/: remove 192\.168\.\d+\.\d+ aa:bb:cc:02:05:00 /);
    await decideApproval(db, c, asked.approvalId, "reject", { deps: deps() });
    // Confirming the mapping as it already is takes nothing away.
    expect(await requestNodeServerChange(db, deps(), a, { node: "r630-01", serverId: 204 })).toMatchObject({ status: "applied" });
  });

  it("releasing or re-owning an IPAM address a switch binds waits, naming the bindings that hold it; other edits act at once", async () => {
    const [sw] = await db.select().from(switches).where(eq(switches.id, world.ids.ex4200));
    const bound = { ip: "10.13.0.78", mac: "02:00:0a:0d:00:4e", vlan: "VLAN.13" };
    await db.insert(switchPortBindings).values({ switchId: sw!.id, interface: "ge-0/0/30.0", bindings: [{ ...bound, family: "ipv4" }], updatedBy: a.id });
    const [row] = await db.insert(ipamAddresses).values({ address: "10.13.0.78", vmid: 8700, hostname: "vm-8700", status: "active" }).returning();
    const [free] = await db.insert(ipamAddresses).values({ address: "10.13.0.79", vmid: 8700, status: "active" }).returning();
    const form = { hostname: "vm-8700", vmid: 8700, mac: null, service: null, ownerTeam: null, status: "active" as const };

    const release = (await requestAddressUpdate(db, deps(), a, row!.id, { status: "released" })) as PendingOutcome;
    expect(release.status).toBe("pending");
    expect(release.summary.split("\n")).toEqual([
      "IPAM 10.13.0.78: status active → released",
      `${sw!.name} ge-0/0/30.0: 10.13.0.78 02:00:0a:0d:00:4e VLAN.13: bound now; removed where IPAM's word for the VM is what binds it`,
    ]);
    // The whole edit form, with only the VMID changed: a re-own, waiting the same way, storing only the VMID.
    const reown = (await requestAddressUpdate(db, deps(), a, row!.id, { ...form, vmid: 8701 })) as PendingOutcome;
    expect(reown.summary.split("\n")[0]).toBe("IPAM 10.13.0.78: VMID 8700 → 8701");
    expect((await db.select().from(pendingChanges).where(eq(pendingChanges.id, reown.approvalId)))[0]!.payload).toEqual({ id: row!.id, patch: { vmid: 8701 } });
    // A hostname edit, or releasing an address nothing binds, acts at once.
    expect(await requestAddressUpdate(db, deps(), a, row!.id, { ...form, hostname: "vm-8700-web" })).toMatchObject({ status: "applied" });
    expect(await requestAddressUpdate(db, deps(), a, free!.id, { status: "released" })).toMatchObject({ status: "applied" });
    expect((await db.select().from(ipamAddresses).where(eq(ipamAddresses.id, row!.id)))[0]).toMatchObject({
      status: "active",
      vmid: 8700,
      hostname: "vm-8700-web",
    });

    await decideApproval(db, c, reown.approvalId, "reject", { deps: deps() });
    expect(await decideApproval(db, c, release.approvalId, "approve", { deps: deps() })).toMatchObject({ status: "applied" });
    expect((await db.select().from(ipamAddresses).where(eq(ipamAddresses.id, row!.id)))[0]).toMatchObject({ status: "released", hostname: "vm-8700-web" });
  });

  it("Tenantos data moving a port to another server, or onto hand-made bindings, waits with the bindings it removes; nothing moves until approved", async () => {
    const switchId = world.ids.ex4200;
    const [sw] = await db.select().from(switches).where(eq(switches.id, switchId));
    const handMade = { ip: "10.13.0.90", mac: "02:00:0a:0d:00:5a", vlan: "VLAN.13", family: "ipv4" as const };
    await db.insert(switchPortBindings).values({ switchId, interface: "ge-0/0/10.0", bindings: [handMade], updatedBy: a.id });
    // The panel now says: server 201 is cabled to 202's port, and 202 to the port holding hand-made bindings.
    const servers = world.tenantos.world.servers;
    const conn = (id: number) => servers.find((x) => x.id === id)!.connections.find((c) => c.type === "snmp_switch")!;
    Object.assign(conn(201), { portId: 2021, portName: "ge-0/0/6" });
    Object.assign(conn(202), { portId: 2030, portName: "ge-0/0/10" });
    await syncPanelPorts(db, world.panel);
    const portOf = async (iface: string) => (await db.select().from(panelPorts).where(eq(panelPorts.interface, iface))).find((p) => p.switchId === switchId);
    expect((await portOf("ge-0/0/6.0"))!.serverId).toBe(202);
    expect(await portOf("ge-0/0/10.0")).toBeUndefined();
    // Asked once, however often the data repeats.
    await syncPanelPorts(db, world.panel);
    const asked = (await listApprovals(db, "pending", deps())).filter((r) => r.kind === "panel_port");
    expect(asked).toHaveLength(2);
    const move = asked.find((r) => (r.payload as { serverId: number }).serverId === 201)!;
    const onto = asked.find((r) => (r.payload as { serverId: number }).serverId === 202)!;
    expect(move.now).toMatchObject({
      lines: expect.arrayContaining([
        `Tenantos gives ${sw!.name} ge-0/0/6.0 to server 201 (now: server 202)`,
        `${sw!.name} ge-0/0/6.0: remove 10.13.0.31 aa:bb:cc:02:02:00 VLAN.13`,
        `${sw!.name} ge-0/0/6.0: add 10.13.0.21 aa:bb:cc:02:01:00 VLAN.13`,
      ]),
    });
    expect(onto.now).toMatchObject({ lines: expect.arrayContaining([`${sw!.name} ge-0/0/10.0: remove 10.13.0.90 02:00:0a:0d:00:5a VLAN.13`]) });
    // Approved as shown, the port is the new server's and is pushed.
    const digest = (move.now as { digest: string }).digest;
    expect(await decideApproval(db, c, move.id, "approve", { deps: deps(), seenDigest: digest })).toMatchObject({ status: "applied" });
    expect((await portOf("ge-0/0/6.0"))!.serverId).toBe(201);
    await decideApproval(db, c, onto.id, "reject", { deps: deps() });
    expect(await portOf("ge-0/0/10.0")).toBeUndefined();
  });

  it("deleting a switch with 'remove our bindings' waits, listing every binding on its managed ports", async () => {
    const switchId = world.ids.ex4200;
    await db.update(switches).set({ isAutomationEnabled: true }).where(eq(switches.id, switchId));
    const [sw] = await db.select().from(switches).where(eq(switches.id, switchId));
    // What the switch holds, as its latest backup shows: the wipe removes exactly that on our ports.
    const [first] = await db.select().from(panelPorts).where(eq(panelPorts.switchId, switchId));
    const held = `set ethernet-switching-options secure-access-port interface ${first!.interface} static-ip 10.13.0.77 vlan VLAN.13 mac 02:00:0a:0d:00:4d`;
    await storeBackup(db, key, { switchId, reason: "scheduled", text: `${world.ex4200.state.displaySet()}\n${held}` });
    const asked = (await requestSwitchDelete(db, deps(), a, { switchId, mode: "remove-bindings", confirmName: sw!.name })) as PendingOutcome;
    expect(asked.status).toBe("pending");
    const ports = [
      ...(await db.select().from(panelPorts).where(eq(panelPorts.switchId, switchId))),
      ...(await db.select().from(switchPortBindings).where(eq(switchPortBindings.switchId, switchId))),
    ];
    expect(asked.summary.split("\n")[0]).toBe(`delete switch ${sw!.name} and remove our bindings from ${ports.length} port(s)`);
    for (const p of ports) expect(asked.summary).toContain(`${sw!.name} ${p.interface}: `);
    expect(asked.summary.split("\n")).toContain(`${sw!.name} ${first!.interface}: remove 10.13.0.77 02:00:0a:0d:00:4d VLAN.13`);
    expect(await db.select().from(switches).where(eq(switches.id, switchId))).toHaveLength(1);
    expect(await decideApproval(db, c, asked.approvalId, "approve", { deps: deps() })).toMatchObject({ status: "applied" });
    // Approved: the removal is queued as before (the row goes once the wipe is pushed).
    expect(await db.select().from(panelPorts).where(eq(panelPorts.switchId, switchId))).toHaveLength(0);
  });
});
