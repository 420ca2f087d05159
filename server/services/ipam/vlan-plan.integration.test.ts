import { describe, expect, it } from "vitest";
import { inventorySnapshots } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { callerFor, buildViewer } from "@/server/testing/factories";
import { createAddress } from "./addresses";
import { createPrefix, createVlan } from "./prefixes";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };

describe("VLAN plan", () => {
  it("shows each VLAN's use and each planned move, blocked while its address is live elsewhere", async () => {
    await createVlan(db, admin, { vid: 11, name: "flat", status: "current" });
    await createVlan(db, admin, { vid: 110, name: "prod-web", status: "planned" });
    await createPrefix(db, admin, { prefix: "192.168.11.0/24", vid: 11 });
    await createPrefix(db, admin, { prefix: "10.110.0.0/24", vid: 110 });
    await createAddress(db, admin, { address: "192.168.11.100", hostname: "web-1" });
    await createAddress(db, admin, { address: "10.110.0.100", hostname: "web-1", status: "planned" });
    await createAddress(db, admin, { address: "192.168.11.101", hostname: "web-2" });
    await createAddress(db, admin, { address: "10.110.0.101", hostname: "web-2", status: "planned" });
    await db.insert(inventorySnapshots).values({
      status: "ok",
      trigger: "manual",
      collectedAt: new Date(),
      data: {
        nodes: [],
        guests: [
          {
            vmid: 9,
            name: "squatter",
            node: "n1",
            type: "qemu",
            status: "running",
            cpus: 1,
            mem_bytes: 1,
            nics: [],
            config_ips: ["10.110.0.101"],
            live_ips: null,
          },
        ],
      },
    });
    const plan = await callerFor(db, buildViewer()).vlans.plan();
    expect(plan.vlans.map((v) => [v.vid, v.status, v.activeAddresses, v.plannedAddresses])).toEqual([
      [11, "current", 2, 0],
      [110, "planned", 0, 2],
    ]);
    expect(plan.hosts).toEqual([
      { host: "web-1", current: [{ address: "192.168.11.100", vid: 11 }], target: [{ address: "10.110.0.100", vid: 110 }], status: "ready", problems: [] },
      {
        host: "web-2",
        current: [{ address: "192.168.11.101", vid: 11 }],
        target: [{ address: "10.110.0.101", vid: 110 }],
        status: "blocked",
        problems: ["10.110.0.101 is live on squatter"],
      },
    ]);
  });
});
