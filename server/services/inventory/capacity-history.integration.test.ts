import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryNodeCapacity, inventorySnapshots } from "@/drizzle/schema";
import { computeCapacitySeries } from "@/lib/inventory/capacity-history";
import { withLabNodeNetworks } from "@/lab/edge-world";
import { createLabInventoryWorld } from "@/lab/inventory/world";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { backfillNodeCapacity, collectInventory, pruneInventorySnapshots } from "./collector";
import { computeNodeCapacityRecords } from "@/lib/inventory/capacity-history";
import { eq } from "drizzle-orm";
import { getHostCapacity } from "./host-capacity";
import { listNodeCapacityHistory } from "./queries";

const { db } = await createTestDatabase();

let pve: LabProxmox;
beforeAll(async () => {
  pve = await startLabProxmox({ world: withLabNodeNetworks(createLabInventoryWorld()) });
});
afterAll(() => pve.close());
const client = () => createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 2_000 });

describe("node capacity over time", () => {
  it("stores each node's figures with every good collection, the same the hosts page shows, and keeps them past pruning", async () => {
    const snap = await collectInventory(db, { client: client(), trigger: "manual" });
    await collectInventory(db, { client: undefined, trigger: "manual" }); // failed: stores nothing
    const stored = await db.select().from(inventoryNodeCapacity);
    expect(stored.map((r) => r.snapshotId)).toEqual(stored.map(() => snap.id));

    const page = await getHostCapacity(db);
    const history = await callerFor(db, buildViewer()).hosts.capacityHistory();
    expect(history.map((r) => r.node)).toEqual(page.nodes.map((n) => n.node));
    for (const n of page.nodes) {
      const r = history.find((h) => h.node === n.node)!;
      expect(r.collectedAt.toISOString()).toBe(page.collectedAt);
      expect([r.cpuTotal, r.cpuAllocated, r.cpuUsed]).toEqual([n.cpu.total, n.cpu.allocated, n.cpu.used]);
      expect([r.memTotalBytes, r.memAllocatedBytes, r.memUsedBytes]).toEqual([n.mem.total, n.mem.allocated, n.mem.used]);
      expect([r.storageTotalBytes, r.storageAllocatedBytes]).toEqual([n.storage.total, n.storage.allocated]);
    }
    const r630 = computeCapacitySeries(history).find((s) => s.node === "r630-04")!;
    expect(r630.points).toHaveLength(1);
    expect(r630.points[0]!.memUsed).toBeCloseTo((100 * 21) / 256, 1);

    // Old snapshots go; the figures stay (a few numbers a node per collection).
    await db.execute(sql`update inventory_snapshots set started_at = now() - interval '200 days'`);
    await db.insert(inventorySnapshots).values({ status: "ok", trigger: "manual", collectedAt: new Date(), data: { nodes: [], guests: [] } });
    expect(await pruneInventorySnapshots(db, { keepGood: 1 })).toBe(2);
    const kept = await db.select().from(inventoryNodeCapacity);
    expect(kept).toHaveLength(stored.length);
    expect(kept.every((r) => r.snapshotId === null)).toBe(true);
  });

  it("draws one point per node and hour (the hour's newest), over the last two weeks", async () => {
    const now = new Date("2026-12-06T12:00:00Z");
    const row = (at: string, cpuAllocated: number) => ({
      node: "hist-node",
      collectedAt: new Date(at),
      cpuTotal: 10,
      cpuAllocated,
      cpuUsed: 1,
      memTotalBytes: 100,
      memAllocatedBytes: 50,
      memUsedBytes: 20,
      storageTotalBytes: 1000,
      storageAllocatedBytes: 100,
      storageUsedBytes: 10,
    });
    await db
      .insert(inventoryNodeCapacity)
      .values([row("2026-11-01T10:00:00Z", 1), row("2026-12-06T10:05:00Z", 2), row("2026-12-06T10:50:00Z", 3), row("2026-12-06T11:10:00Z", 4)]);
    const history = (await listNodeCapacityHistory(db, { now })).filter((r) => r.node === "hist-node");
    expect(history.map((r) => [r.collectedAt.toISOString(), r.cpuAllocated])).toEqual([
      ["2026-12-06T10:50:00.000Z", 3],
      ["2026-12-06T11:10:00.000Z", 4],
    ]);
  });

  it("fills in the history of good snapshots collected before it was recorded, once, from the same computation", async () => {
    const isolated = (await createTestDatabase()).db;
    const snap = await collectInventory(isolated, { client: client(), trigger: "manual" });
    await collectInventory(isolated, { client: undefined, trigger: "manual" }); // failed: nothing to fill
    // As an install upgraded past 0045 has them: good snapshots, an older one among them, and no figures.
    await isolated.insert(inventorySnapshots).values({ status: "ok", trigger: "schedule", collectedAt: new Date("2026-11-20T03:00:00Z"), data: snap.data });
    await isolated.delete(inventoryNodeCapacity);

    expect(await backfillNodeCapacity(isolated)).toBe(2);
    const rows = await isolated.select().from(inventoryNodeCapacity);
    const expected = computeNodeCapacityRecords(snap.data!);
    expect(rows.filter((r) => r.snapshotId === snap.id).map(({ id: _id, snapshotId: _s, collectedAt: _c, ...r }) => r)).toEqual(
      expected.map((r) => ({ ...r })),
    );
    expect(new Set(rows.map((r) => r.collectedAt.toISOString()))).toEqual(new Set([snap.collectedAt!.toISOString(), "2026-11-20T03:00:00.000Z"]));
    // Again: nothing left to fill, nothing written twice.
    expect(await backfillNodeCapacity(isolated)).toBe(0);
    expect(await isolated.select().from(inventoryNodeCapacity)).toHaveLength(rows.length);
    expect((await isolated.select().from(inventoryNodeCapacity).where(eq(inventoryNodeCapacity.snapshotId, snap.id))).length).toBe(expected.length);
  });
});
