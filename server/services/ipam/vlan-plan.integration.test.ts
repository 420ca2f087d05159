import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, inventorySnapshots, ipamAddresses } from "@/drizzle/schema";
import type { LiveInventoryGuest } from "@/lib/inventory/snapshot";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { createAddress } from "./addresses";
import { createPrefix, createVlan, deleteVlan } from "./prefixes";
import { createVlanMove, deleteVlanMove, setVlanMoveStatus } from "./vlan-moves";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };

const guest = (vmid: number, name: string, ips: string[], node = "r630-01", vlanTag: number | null = null): LiveInventoryGuest => ({
  vmid,
  name,
  node,
  type: "qemu",
  status: "running",
  cpus: 1,
  mem_bytes: 1,
  nics: [{ index: 0, mac: null, bridge: "vmbr0", vlan_tag: vlanTag, config_ips: ips }],
  config_ips: ips,
  live_ips: null,
});
async function collect(guests: LiveInventoryGuest[], collectedAt = new Date()) {
  await db.insert(inventorySnapshots).values({ status: "ok", trigger: "manual", collectedAt, data: { nodes: [], guests } });
}

describe("VLAN plan", () => {
  it("plans moves in the console, reserves their targets in IPAM, and shows each VLAN's use", async () => {
    await createVlan(db, admin, { vid: 11, name: "flat", status: "current" });
    await createVlan(db, admin, { vid: 110, name: "prod-web", status: "planned" });
    await createVlan(db, admin, { vid: 120, name: "mgmt", status: "planned" });
    await createPrefix(db, admin, { prefix: "192.168.11.0/24", vid: 11 });
    await createPrefix(db, admin, { prefix: "10.110.0.0/24", vid: 110 });
    await createPrefix(db, admin, { prefix: "10.120.0.0/24", vid: 120 });
    await createAddress(db, admin, { address: "192.168.11.100", hostname: "web-1" });
    const caller = callerFor(db, buildAdmin());
    const move = await caller.vlans.createMove({ hostname: "web-1", vmid: 100, targetAddress: "10.110.0.100", targetVid: 110 });
    expect(move).toMatchObject({ status: "planned", targetAddress: "10.110.0.100" });
    const [reserved] = await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.110.0.100"));
    expect(reserved).toMatchObject({ hostname: "web-1", status: "planned", vlanVid: 110, sourceRef: "vlan-move" });
    const [created] = await db.select().from(auditLog).where(eq(auditLog.action, "ipam.vlan_move.create"));
    expect(created!.after).toMatchObject({ hostname: "web-1", targetVid: 110, isReservedInIpam: true });

    // Refused with the reason: wrong VLAN for the address, an address held by another host, a second move.
    await expect(caller.vlans.createMove({ hostname: "web-2", targetAddress: "10.110.0.101", targetVid: 120 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "10.110.0.101 is in 10.110.0.0/24, which is on VLAN 110, not 120",
    });
    await expect(createVlanMove(db, admin, { hostname: "web-2", targetAddress: "192.168.11.100", targetVid: 11 })).rejects.toThrow(
      "192.168.11.100 is active in IPAM for web-1",
    );
    await expect(createVlanMove(db, admin, { hostname: "web-1", targetAddress: "10.110.0.7", targetVid: 110 })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(callerFor(db, buildViewer()).vlans.createMove({ hostname: "x", targetAddress: "10.110.0.9", targetVid: 110 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });

    // The VLAN the move goes to is held by it.
    await expect(deleteVlan(db, admin, 110)).rejects.toThrow("1 planned move (web-1 → 10.110.0.100)");

    const plan = await callerFor(db, buildViewer()).vlans.plan();
    expect(plan.vlans.map((v) => [v.vid, v.activeAddresses, v.plannedAddresses, v.movesIn])).toEqual([
      [11, 1, 0, 0],
      [110, 0, 1, 1],
      [120, 0, 0, 0],
    ]);
    expect(plan.moves[0]).toMatchObject({ hostname: "web-1", current: [{ address: "192.168.11.100", vid: 11 }], displayStatus: "planned", wave: 4 });
  });

  it("takes a host planned → ready → in progress → done, refusing to start a blocked move with its checks", async () => {
    await createVlanMove(db, admin, { hostname: "loki", vmid: 7812, targetAddress: "10.110.0.180", targetVid: 110 });
    await collect([guest(100, "web-1", ["192.168.11.100"]), guest(7810, "grafana", ["10.110.0.180"]), guest(7812, "loki", ["192.168.11.182"])]);
    const user = buildAdmin();
    const caller = callerFor(db, user);
    let plan = await caller.vlans.plan();
    const web = plan.moves.find((m) => m.hostname === "web-1")!;
    const loki = plan.moves.find((m) => m.hostname === "loki")!;
    expect(web.displayStatus).toBe("ready");
    expect(loki).toMatchObject({ displayStatus: "blocked", blockers: ["10.110.0.180 is live on grafana"] });
    await expect(caller.vlans.setMoveStatus({ id: loki.id, status: "in_progress" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "loki's move is not ready: 10.110.0.180 is live on grafana",
    });
    await expect(setVlanMoveStatus(db, admin, web.id, "done")).rejects.toThrow("it cannot go to done from there");
    await caller.vlans.setMoveStatus({ id: web.id, status: "in_progress" });
    plan = await caller.vlans.plan();
    expect(plan.moves.find((m) => m.id === web.id)!.displayStatus).toBe("in_progress");
    await expect(deleteVlanMove(db, admin, web.id)).rejects.toThrow("set it back to planned before deleting it");
    expect((await db.select().from(auditLog).where(eq(auditLog.action, "ipam.vlan_move.status"))).map((a) => a.after)).toEqual([
      expect.objectContaining({ status: "in_progress", statusChangedBy: user.email }),
    ]);
  });

  it("flags a move marked done that the next collection does not show on its target, and clears it when it does", async () => {
    const caller = callerFor(db, buildAdmin());
    const web = (await caller.vlans.plan()).moves.find((m) => m.hostname === "web-1")!;
    await caller.vlans.setMoveStatus({ id: web.id, status: "done" });
    // The collection before the mark cannot say anything yet.
    let mine = (await caller.vlans.plan()).moves.find((m) => m.id === web.id)!;
    expect(mine).toMatchObject({ displayStatus: "done", liveCheck: { state: "unknown" } });

    // Marked done, but the guest still answers on its old address: flagged.
    await collect([guest(100, "web-1", ["192.168.11.100"])], new Date(Date.now() + 60_000));
    mine = (await caller.vlans.plan()).moves.find((m) => m.id === web.id)!;
    expect(mine.liveCheck).toEqual({ state: "not-live", detail: "web-1 does not answer on 10.110.0.100 (it has 192.168.11.100)" });

    // On the target address but a NIC tagged for the old VLAN: still flagged.
    await collect([guest(100, "web-1", ["10.110.0.100"], "r630-01", 11)], new Date(Date.now() + 120_000));
    mine = (await caller.vlans.plan()).moves.find((m) => m.id === web.id)!;
    expect(mine.liveCheck).toMatchObject({ state: "not-live", detail: "web-1 has 10.110.0.100 on a NIC tagged VLAN 11, not 110" });

    await collect([guest(100, "web-1", ["10.110.0.100"], "r630-01", 110)], new Date(Date.now() + 180_000));
    mine = (await caller.vlans.plan()).moves.find((m) => m.id === web.id)!;
    expect(mine.liveCheck).toEqual({ state: "live", detail: "web-1 answers on 10.110.0.100" });
  });

  it("carries a Proxmox host's change of role, blocked while it still hosts guests, in the first wave", async () => {
    await createVlanMove(db, admin, { hostname: "ml110", targetAddress: "10.120.0.10", targetVid: 120, fromRole: "proxmox-host", toRole: "wan-aggregator" });
    await collect([guest(5000, "blockscout", ["192.168.11.140"], "ml110"), guest(7810, "grafana", ["10.110.0.180"])], new Date(Date.now() + 240_000));
    const plan = await callerFor(db, buildViewer()).vlans.plan();
    const ml110 = plan.moves.find((m) => m.hostname === "ml110")!;
    expect(ml110).toMatchObject({ wave: 1, displayStatus: "blocked", fromRole: "proxmox-host", toRole: "wan-aggregator" });
    expect(ml110.blockers).toEqual(["ml110 still hosts 1 guests (blockscout): move them off before it becomes wan-aggregator"]);
    expect(plan.waves[0]!.moves.map((m) => m.hostname)).toEqual(["ml110"]);
    // A later wave waits for it.
    expect(plan.moves.find((m) => m.hostname === "loki")!.blockers).toContain("wave 1 (out-of-band / IPMI) is not done: ml110");
  });

  it("lets an admin put a move in another wave and name the cutover, audited", async () => {
    const caller = callerFor(db, buildAdmin());
    const loki = (await caller.vlans.plan()).moves.find((m) => m.hostname === "loki")!;
    await caller.vlans.updateMove({ id: loki.id, wave: 1, note: "logs first", toRole: "log-store" });
    let plan = await caller.vlans.plan();
    let mine = plan.moves.find((m) => m.id === loki.id)!;
    expect(mine).toMatchObject({ wave: 1, waveOverride: 1, waveReason: "set by an admin", note: "logs first", toRole: "log-store" });
    // In the first wave nothing earlier waits: only its own check blocks it.
    expect(mine.blockers).toEqual(["10.110.0.180 is live on grafana"]);
    expect(plan.waves[0]!.moves.map((m) => m.hostname)).toEqual(["loki", "ml110"]);
    await expect(caller.vlans.updateMove({ id: loki.id, wave: 7 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "wave 7 is not 1 to 4" });

    await caller.vlans.updateMove({ id: loki.id, wave: null });
    plan = await caller.vlans.plan();
    mine = plan.moves.find((m) => m.id === loki.id)!;
    expect(mine).toMatchObject({ wave: 4, waveOverride: null, note: "logs first" });
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "ipam.vlan_move.update"))).toHaveLength(2);
  });
});
