import { describe, expect, it } from "vitest";
import { computeCapacitySeries, computeNodeCapacityRecords } from "./capacity-history";
import { computeHostCapacity } from "./host-capacity";
import type { LiveInventoryData, LiveInventoryGuest, LiveNode } from "./snapshot";

const GiB = 2 ** 30;
const node = (name: string, over: Partial<LiveNode> = {}): LiveNode => ({
  node: name,
  status: "online",
  cpus: 32,
  cpu_load: 0.25,
  mem_total_bytes: 128 * GiB,
  mem_used_bytes: 64 * GiB,
  disk_total_bytes: 100 * GiB,
  disk_used_bytes: 10 * GiB,
  storage: [{ storage: "local-lvm", type: "lvmthin", total_bytes: 1000 * GiB, used_bytes: 250 * GiB, is_shared: false, content: ["images", "rootdir"] }],
  ...over,
});
const guest = (vmid: number, on: string, cpus: number, memGiB: number, diskGiB: number): LiveInventoryGuest => ({
  vmid,
  name: `g${vmid}`,
  node: on,
  type: "qemu",
  status: "running",
  cpus,
  mem_bytes: memGiB * GiB,
  nics: [],
  config_ips: [],
  live_ips: null,
  disks: [{ key: "scsi0", storage: "local-lvm", volid: `local-lvm:vm-${vmid}-disk-0`, size_bytes: diskGiB * GiB }],
});
const data: LiveInventoryData = {
  nodes: [node("pve-b"), node("pve-a"), node("pve-c", { status: "offline", cpu_load: null, mem_used_bytes: null, storage: [] })],
  guests: [guest(100, "pve-a", 8, 32, 200), guest(101, "pve-a", 16, 64, 300), guest(102, "pve-b", 4, 16, 50)],
  warnings: [],
};

describe("node capacity over time", () => {
  it("stores per collection the figures the hosts page shows for each node", () => {
    const records = computeNodeCapacityRecords(data);
    const page = computeHostCapacity(data).nodes;
    expect(records.map((r) => r.node)).toEqual(page.map((n) => n.node));
    for (const r of records) {
      const n = page.find((p) => p.node === r.node)!;
      expect([r.cpuTotal, r.cpuAllocated, r.cpuUsed]).toEqual([n.cpu.total, n.cpu.allocated, n.cpu.used]);
      expect([r.memTotalBytes, r.memAllocatedBytes, r.memUsedBytes]).toEqual([n.mem.total, n.mem.allocated, n.mem.used]);
      expect([r.storageTotalBytes, r.storageAllocatedBytes]).toEqual([n.storage.total, n.storage.allocated]);
    }
    expect(records.find((r) => r.node === "pve-a")).toMatchObject({
      cpuAllocated: 24,
      cpuUsed: 8,
      memAllocatedBytes: 96 * GiB,
      storageAllocatedBytes: 500 * GiB,
    });
    // An offline node has no use to show: none rather than zero.
    expect(records.find((r) => r.node === "pve-c")).toMatchObject({ cpuUsed: null, memUsedBytes: null, storageUsedBytes: null });
  });

  it("draws each node's allocated and used shares oldest first, and overcommit above 100%", () => {
    const [a] = computeNodeCapacityRecords(data).filter((r) => r.node === "pve-a");
    const series = computeCapacitySeries([
      { ...a!, collectedAt: "2026-12-06T10:00:00Z", cpuAllocated: 48 },
      { ...a!, collectedAt: new Date("2026-12-05T10:00:00Z") },
      { ...a!, node: "pve-0", collectedAt: "2026-12-06T10:00:00Z" },
    ]);
    expect(series.map((s) => s.node)).toEqual(["pve-0", "pve-a"]);
    const pa = series[1]!;
    expect(pa.points.map((p) => p.at)).toEqual(["2026-12-05T10:00:00.000Z", "2026-12-06T10:00:00.000Z"]);
    expect(pa.points[0]).toEqual({
      at: "2026-12-05T10:00:00.000Z",
      cpuAllocated: 75,
      cpuUsed: 25,
      memAllocated: 75,
      memUsed: 50,
      storageAllocated: 50,
      storageUsed: 25,
    });
    expect(pa.points[1]!.cpuAllocated).toBe(150);
    expect(pa.latest.at).toBe("2026-12-06T10:00:00.000Z");
  });
});
