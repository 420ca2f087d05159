import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ipamAddresses, ipamVlans, panelConnections, portMapEntries } from "@/drizzle/schema";
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

  it("with the edge lab, saves the UniFi and NPM connections with the console's pin, types the cabling once and queues the edge collections", async () => {
    const isolated = await createTestDatabase();
    const key = randomBytes(32);
    const pin = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(":");
    const edge = {
      unifi: { url: "https://127.0.0.1:9", apiKey: "demo-unifi-key", fingerprint256: pin },
      npm: { url: "http://127.0.0.1:9", identity: "demo@npm.test", secret: "demo-npm" },
      portMap: [
        { switchName: "usw-core", switchKind: "unifi" as const, port: "5", panel: "PP-A", panelPosition: "5", farHost: "r630-02", farNic: "eno1" },
        { switchName: "usw-core", switchKind: "unifi" as const, port: "6", panel: "PP-A", panelPosition: "6", farHost: "r630-02", farNic: "eno2" },
      ],
      addresses: [{ address: "192.168.11.99", hostname: "shop.demo.sankofa" }],
    };
    await seedDemo(isolated.db, key, { ...refs, edge });
    await seedDemo(isolated.db, key, { ...refs, edge });
    const connections = await isolated.db.select().from(panelConnections);
    expect(connections.find((c) => c.kind === "unifi")).toMatchObject({ baseUrl: edge.unifi.url, tlsFingerprint: pin, tokenId: null });
    expect(connections.find((c) => c.kind === "npm")).toMatchObject({ baseUrl: edge.npm.url, tokenId: edge.npm.identity });
    expect((await isolated.db.select().from(portMapEntries)).map((r) => `${r.switchName}:${r.port} ${r.panel}/${r.panelPosition}`)).toEqual([
      "usw-core:5 PP-A/5",
      "usw-core:6 PP-A/6",
    ]);
    expect((await isolated.db.select().from(ipamAddresses)).filter((a) => a.hostname === "shop.demo.sankofa")).toHaveLength(1);
    const jobs = await isolated.db.execute<{ task_identifier: string }>(
      sql`select task_identifier from graphile_worker.jobs where task_identifier like 'collect-%' and task_identifier <> 'collect-inventory' order by 1`,
    );
    // Queued at each start, joined by job key: one of each.
    expect(jobs.map((j) => j.task_identifier)).toEqual(["collect-node-networks", "collect-npm", "collect-unifi"]);
  });
});
