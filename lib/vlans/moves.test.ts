import { describe, expect, it } from "vitest";
import type { LiveInventoryGuest } from "../inventory/snapshot";
import { checkMoveLive, computeWave, planMoves, type PlanFacts, type PlanMove } from "./moves";

const guest = (name: string, ips: string[], extra: Partial<LiveInventoryGuest> = {}): LiveInventoryGuest => ({
  vmid: 100,
  name,
  node: "r630-01",
  type: "qemu",
  status: "running",
  cpus: 1,
  mem_bytes: 1,
  nics: [],
  config_ips: ips,
  live_ips: null,
  ...extra,
});
let nextId = 1;
const move = (hostname: string, targetAddress: string, targetVid: number, extra: Partial<PlanMove> = {}): PlanMove => ({
  id: nextId++,
  hostname,
  vmid: null,
  targetAddress,
  targetVid,
  fromRole: null,
  toRole: null,
  wave: null,
  status: "planned",
  statusChangedAt: null,
  ...extra,
});
const facts = (guests: LiveInventoryGuest[] | null, extra: Partial<PlanFacts> = {}): PlanFacts => ({
  vlans: [
    { vid: 11, name: "flat" },
    { vid: 110, name: "prod-web" },
    { vid: 120, name: "mgmt" },
    { vid: 201, name: "customer-a" },
  ],
  prefixes: [
    { prefix: "192.168.11.0/24", vid: 11 },
    { prefix: "10.110.0.0/24", vid: 110 },
    { prefix: "10.120.0.0/24", vid: 120 },
    { prefix: "10.201.0.0/24", vid: 201 },
  ],
  addresses: [],
  live: guests ? { collectedAt: new Date("2026-11-30T10:00:00Z"), guests } : null,
  ...extra,
});

describe("the wave rule", () => {
  it("puts out-of-band first, then tenant VLANs, then the chain, then the app tier", () => {
    expect(computeWave({ hostname: "r630-01-idrac", targetVid: 11 }).wave).toBe(1);
    expect(computeWave({ hostname: "pdu-2", targetVid: 120, targetVlanName: "mgmt" })).toEqual({ wave: 1, reason: "target VLAN 120 (mgmt) is management" });
    expect(computeWave({ hostname: "ml110", targetVid: 11, fromRole: "proxmox-host", toRole: "wan-aggregator" }).wave).toBe(1);
    expect(computeWave({ hostname: "besu-rpc-1", targetVid: 201 }).wave).toBe(2);
    expect(computeWave({ hostname: "besu-validator-1", targetVid: 112 }).wave).toBe(3);
    expect(computeWave({ hostname: "besu-rpc-public-1", targetVid: 112 }).wave).toBe(3);
    expect(computeWave({ hostname: "sankofa-portal", targetVid: 110 })).toEqual({ wave: 4, reason: "the rest: Sankofa's own services" });
  });

  it("lets an admin's wave win over the rule", () => {
    expect(computeWave({ hostname: "sankofa-portal", targetVid: 110, wave: 1 })).toEqual({ wave: 1, reason: "set by an admin" });
  });
});

describe("the moves plan", () => {
  it("is ready when every check passes and blocked naming each failing one", () => {
    const [web, loki, wrong] = planMoves(
      [move("web-1", "10.110.0.5", 110), move("loki", "10.110.0.180", 110), move("wrong-vlan", "10.110.0.9", 201, { wave: 4 })],
      facts([guest("grafana", ["10.110.0.180"])], { addresses: [{ address: "10.110.0.5", hostname: "web-1", status: "planned" }] }),
    ).sort((a, b) => a.id - b.id);
    expect(web).toMatchObject({ displayStatus: "ready", blockers: [], wave: 4 });
    expect(loki).toMatchObject({ displayStatus: "blocked", blockers: ["10.110.0.180 is live on grafana"] });
    expect(wrong!.blockers).toEqual(["10.110.0.9 is in 10.110.0.0/24, which is on VLAN 110, not 201"]);
  });

  it("blocks a later wave until every earlier move is done, and an address IPAM holds for another host", () => {
    const plan = planMoves(
      [move("pdu-1", "10.120.0.5", 120), move("sankofa-portal", "10.110.0.12", 110)],
      facts([], { addresses: [{ address: "10.110.0.12", hostname: "someone-else", status: "active" }] }),
    );
    expect(plan.map((p) => [p.hostname, p.wave, p.displayStatus])).toEqual([
      ["pdu-1", 1, "ready"],
      ["sankofa-portal", 4, "blocked"],
    ]);
    expect(plan[1]!.blockers).toEqual(["10.110.0.12 is active in IPAM for someone-else", "wave 1 (out-of-band / IPMI) is not done: pdu-1"]);
    const after = planMoves([move("pdu-1", "10.120.0.5", 120, { status: "done" }), move("app", "10.110.0.13", 110)], facts([]));
    expect(after.map((p) => p.displayStatus)).toEqual(["done", "ready"]);
  });

  it("carries a role change: a Proxmox host becomes something else only once it hosts no guest", () => {
    const ml110 = move("ml110", "10.120.0.10", 120, { fromRole: "proxmox-host", toRole: "wan-aggregator" });
    const busy = planMoves([ml110], facts([guest("blockscout", ["192.168.11.140"], { node: "ml110" }), guest("pbs", [], { node: "ml110" })]))[0]!;
    expect(busy).toMatchObject({ wave: 1, displayStatus: "blocked" });
    expect(busy.blockers).toEqual(["ml110 still hosts 2 guests (blockscout, pbs): move them off before it becomes wan-aggregator"]);
    expect(planMoves([ml110], facts([guest("blockscout", [], { node: "r630-01" })]))[0]!.displayStatus).toBe("ready");
  });

  it("stays planned, not ready, while there is no live inventory to check against", () => {
    const [m] = planMoves([move("web-1", "10.110.0.5", 110)], facts(null));
    expect(m).toMatchObject({ displayStatus: "planned", blockers: [] });
    expect(m!.checks.find((c) => c.name === "live_inventory")!.isOk).toBe(false);
  });
});

describe("a move marked done against the live inventory", () => {
  const done = move("web-1", "10.110.0.5", 110, { status: "done", statusChangedAt: new Date("2026-11-30T09:00:00Z") });
  const at = (guests: LiveInventoryGuest[], collectedAt = new Date("2026-11-30T10:00:00Z")) => ({ collectedAt, guests });

  it("is live when the guest answers on the target on the target VLAN", () => {
    const g = guest("web-1", [], { live_ips: ["10.110.0.5"], nics: [{ index: 0, mac: null, bridge: "vmbr0", vlan_tag: 110, config_ips: ["10.110.0.5"] }] });
    expect(checkMoveLive(done, at([g]))).toEqual({ state: "live", detail: "web-1 answers on 10.110.0.5" });
  });

  it("is flagged when the guest is still on its old address, on another VLAN tag, or gone", () => {
    expect(checkMoveLive(done, at([guest("web-1", ["192.168.11.5"])]))).toEqual({
      state: "not-live",
      detail: "web-1 does not answer on 10.110.0.5 (it has 192.168.11.5)",
    });
    const tagged = guest("web-1", ["10.110.0.5"], { nics: [{ index: 0, mac: null, bridge: "vmbr0", vlan_tag: 11, config_ips: ["10.110.0.5"] }] });
    expect(checkMoveLive(done, at([tagged])).detail).toBe("web-1 has 10.110.0.5 on a NIC tagged VLAN 11, not 110");
    expect(checkMoveLive(done, at([])).state).toBe("not-live");
  });

  it("cannot say before a collection newer than the done mark", () => {
    expect(checkMoveLive(done, at([guest("web-1", ["192.168.11.5"])], new Date("2026-11-30T08:00:00Z"))).state).toBe("unknown");
    expect(checkMoveLive(done, null).state).toBe("unknown");
  });
});
