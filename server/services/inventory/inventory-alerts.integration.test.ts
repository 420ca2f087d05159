import { describe, expect, it } from "vitest";
import { inventorySnapshots } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { createAddress } from "../ipam/addresses";
import { createPrefix } from "../ipam/prefixes";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const viewer = callerFor(db, buildViewer(), { secretsKey: Buffer.alloc(32, 3) });

const guest = (vmid: number, ips: string[]) => ({
  vmid,
  name: `vm-${vmid}`,
  node: "pve1",
  type: "qemu" as const,
  status: "running",
  cpus: 1,
  mem_bytes: 1,
  nics: [],
  config_ips: ips,
  live_ips: null,
});
const collect = (guests: ReturnType<typeof guest>[]) =>
  db.insert(inventorySnapshots).values({ status: "ok", trigger: "manual", collectedAt: new Date(), data: { nodes: [], guests } });

/** The dashboard's line and the drift page must name the same duplicates, whatever the world. */
async function expectAlertsAgreeWithDrift() {
  const [alerts, drift] = await Promise.all([viewer.inventory.alerts(), viewer.inventory.drift()]);
  expect(alerts.duplicateGuestIps).toEqual(drift.duplicate_guest_ips ?? []);
  expect({ collected_at: alerts.collected_at, is_stale: alerts.is_stale, error: alerts.error }).toEqual({
    collected_at: drift.collected_at,
    is_stale: drift.is_stale,
    error: drift.error,
  });
  return alerts.duplicateGuestIps;
}

describe("the dashboard's inventory line (read without IPAM's rows)", () => {
  it("names the duplicates drift names: none before anything to compare with, then each newer snapshot's", async () => {
    expect(await expectAlertsAgreeWithDrift()).toEqual([]);
    await collect([guest(100, ["10.30.0.1"]), guest(101, ["10.30.0.1"])]);
    // No declared file and no IPAM row: drift compares nothing, and the dashboard says nothing either.
    expect(await expectAlertsAgreeWithDrift()).toEqual([]);
    await createPrefix(db, admin, { prefix: "10.30.0.0/24" });
    await createAddress(db, admin, { address: "10.30.0.9" });
    expect(await expectAlertsAgreeWithDrift()).toEqual([{ ip: "10.30.0.1", vmids: [100, 101] }]);
    // A newer collection is read, not the one read before (the last good snapshot's data is kept between reads).
    await collect([guest(100, ["10.30.0.1"]), guest(102, ["10.30.0.2"]), guest(103, ["10.30.0.2"]), guest(104, ["10.30.0.2"])]);
    expect(await expectAlertsAgreeWithDrift()).toEqual([{ ip: "10.30.0.2", vmids: [102, 103, 104] }]);
    // A failed collection after it keeps the data and makes it stale, on both.
    await db.insert(inventorySnapshots).values({ status: "failed", trigger: "manual", error: "pve unreachable" });
    expect(await expectAlertsAgreeWithDrift()).toHaveLength(1);
    expect((await viewer.inventory.alerts()).is_stale).toBe(true);
  });
});

describe("the drift page's cut (inventory.drift with limitPerKind)", () => {
  it("lists each kind's first rows with the whole count, which the API's drift.json lists in full", async () => {
    await collect(Array.from({ length: 30 }, (_, i) => guest(200 + i, [`10.31.0.${i + 1}`])));
    const [full, cut] = await Promise.all([viewer.inventory.drift(), viewer.inventory.drift({ limitPerKind: 5 })]);
    expect(full.guest_ips_not_in_ipam).toHaveLength(30);
    expect(cut.guest_ips_not_in_ipam).toEqual(full.guest_ips_not_in_ipam!.slice(0, 5));
    expect(cut.counts).toEqual(full.counts);
  });
});
