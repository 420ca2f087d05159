import { describe, expect, it } from "vitest";
import { inventorySnapshots } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";

const { db } = await createTestDatabase();
const GiB = 2 ** 30;
const node = (name: string, memGiB: number, usedGiB: number) => ({
  node: name,
  status: "online",
  cpus: 16,
  cpu_load: 0.5,
  mem_total_bytes: memGiB * GiB,
  mem_used_bytes: usedGiB * GiB,
  disk_total_bytes: 100 * GiB,
  disk_used_bytes: 10 * GiB,
  storage: [
    { storage: "local-lvm", type: "lvmthin", total_bytes: 1000 * GiB, used_bytes: 200 * GiB, is_shared: false },
    { storage: "nfs", type: "nfs", total_bytes: 9000 * GiB, used_bytes: 10 * GiB, is_shared: true },
  ],
});
const guest = (vmid: number, n: string, memGiB: number) => ({
  vmid,
  name: `g${vmid}`,
  node: n,
  type: "qemu" as const,
  status: "running",
  cpus: 4,
  mem_bytes: memGiB * GiB,
  nics: [],
  config_ips: [],
  live_ips: null,
});

describe("host capacity", () => {
  it("reads capacity, allocation and use from the latest snapshot and suggests spare nodes first", async () => {
    await db.insert(inventorySnapshots).values({
      status: "ok",
      trigger: "manual",
      collectedAt: new Date(),
      data: { nodes: [node("busy", 64, 60), node("spare", 64, 4)], guests: [guest(1, "busy", 72), guest(2, "spare", 8)] },
    });
    const cap = await callerFor(db, buildViewer()).hosts.capacity({ want: { cpus: 4, memGiB: 16, diskGiB: 100 } });
    expect(cap.isStale).toBe(false);
    const busy = cap.nodes.find((n) => n.node === "busy")!;
    expect(busy).toMatchObject({ isMemOvercommitted: true, cpu: { total: 16, allocated: 4, used: 8 }, storage: { total: 1000 * GiB, used: 200 * GiB } });
    expect(cap.placements!.map((p) => p.node)).toEqual(["spare"]);
  });
});
