import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inventorySnapshots } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { pruneInventorySnapshots } from "./collector";

const { db } = await createTestDatabase();

describe("inventory snapshot retention", () => {
  it("drops old snapshots but always keeps the newest good ones", async () => {
    const old = new Date(Date.now() - 200 * 86_400_000);
    for (let i = 0; i < 5; i++)
      await db.insert(inventorySnapshots).values({ status: "ok", trigger: "schedule", startedAt: old, collectedAt: old, data: { nodes: [], guests: [] } });
    await db.insert(inventorySnapshots).values({ status: "failed", trigger: "schedule", startedAt: old, error: "down" });
    await db.insert(inventorySnapshots).values({ status: "ok", trigger: "manual", collectedAt: new Date(), data: { nodes: [], guests: [] } });
    expect(await pruneInventorySnapshots(db, { keepGood: 3 })).toBe(4);
    const left = await db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from inventory_snapshots group by status`);
    expect(left).toEqual([{ status: "ok", n: 3 }]);
  });
});
