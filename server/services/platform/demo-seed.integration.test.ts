import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ipamVlans, panelConnections } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { seedDemo } from "./demo-seed";

const { db } = await createTestDatabase();
const refs = {
  tenantos: { url: "http://127.0.0.1:9", apiKey: "demo-key" },
  proxmox: { url: "http://127.0.0.1:9", tokenId: "sankofa@pve!demo", tokenSecret: "demo-secret" },
  switches: [],
  events: [],
  vmacs: [],
  nodeServers: [],
  declared: { confText: readFileSync("lab/inventory/ip-addresses.conf", "utf8"), docText: readFileSync("lab/inventory/ALL_VMIDS_ENDPOINTS.md", "utf8") },
};

describe("demo seed", () => {
  it("points the console at the demo and fills IPAM, the VLAN plan and the declared files once", async () => {
    const key = randomBytes(32);
    await seedDemo(db, key, refs);
    expect((await db.select().from(panelConnections)).map((c) => c.updatedBy)).toEqual(["system:demo", "system:demo"]);
    expect(await db.select().from(ipamVlans)).toHaveLength(11);
    const plan = await callerFor(db, buildViewer()).vlans.plan();
    // No collection yet: wave 1 cannot be checked, and every later wave waits for it.
    expect(plan.moves.map((m) => [m.hostname, m.wave, m.displayStatus])).toEqual([
      ["ml110", 1, "planned"],
      ["besu-rpc-1", 3, "blocked"],
      ["loki", 4, "blocked"],
      ["sankofa-portal", 4, "blocked"],
    ]);
    expect(plan.moves.find((m) => m.hostname === "ml110")).toMatchObject({ fromRole: "proxmox-host", toRole: "wan-aggregator" });
    const jobs = await db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'collect-inventory'`);
    expect(jobs[0]!.n).toBe(1);
    // A restart seeds nothing twice.
    await seedDemo(db, key, refs);
    expect(await db.select().from(ipamVlans)).toHaveLength(11);
  });
});
