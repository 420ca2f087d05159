import { describe, expect, it } from "vitest";
import { computeUtilizationBars, isReservedAddress } from "@/lib/ipam/utilization";
import { createTestDatabase } from "@/server/testing/database";
import { createAddress, listAddresses, updateAddress } from "./addresses";
import { createPrefix } from "./prefixes";
import { listPrefixUtilization } from "./queries";
import { reserveAddress } from "./reservations";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };

describe("prefix utilization (one query for the table and the chart)", () => {
  it("counts in use, reserved and free per prefix, and the chart's bars show the address list's own counts", async () => {
    const wide = await createPrefix(db, admin, { prefix: "10.70.0.0/24", gateway: "10.70.0.1" });
    const small = await createPrefix(db, admin, { prefix: "10.70.1.0/29" });
    const empty = await createPrefix(db, admin, { prefix: "10.70.2.0/28" });
    for (let i = 10; i < 15; i++) await createAddress(db, admin, { address: `10.70.0.${i}`, hostname: `web-${i}` });
    const gone = await createAddress(db, admin, { address: "10.70.0.20", hostname: "old" });
    await updateAddress(db, admin, gone.id, { status: "released" });
    await createAddress(db, admin, { address: "10.70.0.21", hostname: "later", status: "planned" }); // planned, no owner: not a reservation
    await reserveAddress(db, admin, { prefixId: wide.id, ownerTeam: "payments", service: "api" });
    await reserveAddress(db, admin, { address: "10.70.1.3", ownerTeam: "ops", service: "dns" });
    await createAddress(db, admin, { address: "10.70.1.4", hostname: "ns-2" });

    const rows = await listPrefixUtilization(db);
    const bars = computeUtilizationBars(rows);
    expect(bars.find((b) => b.id === wide.id)).toMatchObject({ inUse: 6, reserved: 1, free: 247, label: "7 used (1 reserved) of 254" });
    expect(bars.find((b) => b.id === small.id)).toMatchObject({ inUse: 1, reserved: 1, free: 4, label: "2 used (1 reserved) of 6" });
    expect(bars.find((b) => b.id === empty.id)).toMatchObject({ inUse: 0, reserved: 0, free: 14 });

    // Every bar agrees with the prefixes table (used/size) and with the address list filtered to its prefix.
    for (const row of rows) {
      const bar = bars.find((b) => b.id === row.id)!;
      const listed = (await listAddresses(db, { prefixId: row.id, sort: "address", limit: 1000 })).rows.filter((a) => a.status !== "released");
      expect(bar.inUse + bar.reserved).toBe(row.used);
      expect(bar.inUse + bar.reserved + bar.free).toBe(row.size);
      expect(listed).toHaveLength(row.used);
      expect(listed.filter(isReservedAddress)).toHaveLength(bar.reserved);
    }
  });
});
