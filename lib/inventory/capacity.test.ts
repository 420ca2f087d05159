import { describe, expect, it } from "vitest";
import { computeNodeCapacity, suggestPlacement, type CapacityGuest, type CapacityNode } from "./capacity";

const GiB = 2 ** 30;
const node = (name: string, cpus: number, memGiB: number, over: Partial<CapacityNode> = {}): CapacityNode => ({
  node: name,
  status: "online",
  cpus,
  memBytes: memGiB * GiB,
  diskBytes: 1000 * GiB,
  cpuUsed: null,
  memUsedBytes: null,
  diskUsedBytes: null,
  ...over,
});
const guest = (n: string, vmid: number, cpus: number, memGiB: number, status = "running"): CapacityGuest => ({
  node: n,
  vmid,
  status,
  cpus,
  memBytes: memGiB * GiB,
  diskBytes: 50 * GiB,
});

describe("host capacity", () => {
  const nodes = [node("pve-01", 16, 64, { cpuUsed: 0.25, memUsedBytes: 40 * GiB }), node("pve-02", 8, 32), node("pve-03", 8, 32, { status: "offline" })];
  const guests = [guest("pve-01", 1, 12, 48), guest("pve-01", 2, 8, 24, "stopped"), guest("pve-02", 3, 2, 8)];

  it("sums what guests are given, running or stopped, and flags RAM overcommit", () => {
    const [a, b] = computeNodeCapacity(nodes, guests);
    expect(a).toMatchObject({ node: "pve-01", guests: 2, runningGuests: 1, isMemOvercommitted: true, isCpuOvercommitted: true });
    expect(a!.mem).toEqual({ total: 64 * GiB, allocated: 72 * GiB, used: 40 * GiB, ratio: 72 / 64 });
    expect(a!.cpu).toMatchObject({ allocated: 20, used: 4 });
    expect(b).toMatchObject({ node: "pve-02", isMemOvercommitted: false, cpu: { ratio: 0.25, used: null } });
  });

  it("suggests spare online nodes first and never one the workload would push past its RAM", () => {
    const cap = computeNodeCapacity(nodes, guests);
    expect(suggestPlacement(cap, { cpus: 2, memBytes: 8 * GiB, diskBytes: 20 * GiB }).map((p) => p.node)).toEqual(["pve-02"]);
    const empty = computeNodeCapacity([...nodes, node("pve-04", 8, 32)], guests);
    expect(suggestPlacement(empty, { cpus: 2, memBytes: 8 * GiB, diskBytes: 20 * GiB }).map((p) => p.node)).toEqual(["pve-04", "pve-02"]);
    expect(suggestPlacement(empty, { cpus: 2, memBytes: 40 * GiB, diskBytes: 0 })).toEqual([]);
  });
});
