import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoEdgeRefs } from "@/lab/demo";
import { buildLabNpmWorld, buildLabUnifiWorld } from "@/lab/edge-world";
import { buildDemoProxmoxWorld } from "@/lab/demo-world";
import { startLab, type Lab } from "@/lab/index";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTestDatabase } from "@/server/testing/database";
import { createCollectNodeNetworksTask } from "@/workers/tasks/collect-node-networks";
import { createCollectNpmTask } from "@/workers/tasks/collect-npm";
import { createCollectUnifiTask } from "@/workers/tasks/collect-unifi";
import { collectInventory } from "../inventory/collector";
import { seedDemo } from "../platform/demo-seed";
import { searchEdgeMap } from "./edge-map";

// The demo's edge as `npm run dev` wires it (server/boot/demo.ts): the lab's UniFi console, NPM and
// cluster, the seed's connections and cabling, and the three collection jobs; then the path view.
const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);
const helpers = { logger: { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} } } as unknown as JobHelpers;
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ proxmox: { world: buildDemoProxmoxWorld() }, unifi: { world: buildLabUnifiWorld() }, npm: { world: buildLabNpmWorld() } });
});
afterAll(() => lab.close());

describe("the demo's edge", () => {
  it("shows a full path from a public hostname to a patch-panel position after the seed and the scheduled jobs", async () => {
    await seedDemo(db, secretsKey, {
      tenantos: { url: "http://127.0.0.1:9", apiKey: "demo-key" },
      proxmox: { url: lab.proxmox!.url, tokenId: lab.proxmox!.tokenId, tokenSecret: lab.proxmox!.tokenSecret },
      switches: [],
      events: [],
      vmacs: [],
      nodeServers: [],
      declared: { confText: readFileSync("lab/inventory/ip-addresses.conf", "utf8"), docText: readFileSync("lab/inventory/ALL_VMIDS_ENDPOINTS.md", "utf8") },
      edge: buildDemoEdgeRefs(lab),
    });
    // What the worker would run from the queue.
    await collectInventory(db, {
      client: createProxmoxClient({ baseUrl: lab.proxmox!.url, tokenId: lab.proxmox!.tokenId, tokenSecret: lab.proxmox!.tokenSecret }),
      trigger: "manual",
    });
    const deps = { db, secretsKey, openJunosSession };
    await createCollectUnifiTask(deps)({ trigger: "manual" }, helpers);
    await createCollectNpmTask(deps)({ trigger: "manual" }, helpers);
    await createCollectNodeNetworksTask(deps)({ trigger: "manual" }, helpers);

    const { paths, findings, sources } = await searchEdgeMap(db, "portal.demo.sankofa");
    expect(Object.values(sources).map((s) => [s.source, s.isStale])).toEqual([
      ["unifi", false],
      ["npm", false],
      ["proxmox-network", false],
      ["inventory", false],
    ]);
    expect(paths.map((p) => p.hops.at(-1)!.label)).toEqual(["PP-A / 6"]);
    expect(paths[0]!.hops.map((h) => h.kind)).toEqual([
      "hostname",
      "proxy-host",
      "lan-endpoint",
      "guest",
      "node",
      "node-nic",
      "switch-port",
      "patch-panel",
      "switch-port",
      "patch-panel",
    ]);
    expect(paths[0]!.findings).toEqual([]);
    expect(findings.map((f) => f.kind)).toEqual(expect.arrayContaining(["certificate-expiring", "ip-on-no-guest", "node-nic-unmapped", "no-proxy-host"]));
  });
});
