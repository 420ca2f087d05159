import { randomBytes } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ipamAddresses, provisioningJobs, switchPushes } from "@/drizzle/schema";
import { DEMO_CT_TEMPLATES } from "@/lab/inventory/world";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { createTestDatabase } from "@/server/testing/database";
import { startDemoWorld, type DemoWorld } from "@/server/testing/demo-world";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createPrefix, createVlan } from "../ipam/prefixes";
import { updateSettings } from "../platform/settings";
import { pushServerPortNow } from "../port-security/preview";
import { requestProvisioningJob } from "./jobs";

const { db, url } = await createTestDatabase();
const key = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
let world: DemoWorld;

beforeAll(async () => {
  world = await startDemoWorld({ db, url, secretsKey: key, prefix: "prov" });
  await updateSettings(db, admin, {
    provisioningNodes: "r630-04",
    provisioningVmidRanges: "100-199",
    provisioningStorages: "local-lvm",
    provisioningBridges: "vmbr0",
    provisioningVlans: "200",
    provisioningPrefixes: "10.200.0.0/24",
    provisioningJobTypes: "create_ct",
  });
  await createVlan(db, admin, { vid: 200, name: "tenants", status: "current" });
}, 60_000);
afterAll(() => world?.close());

describe("create a container end to end", () => {
  it("gives a running container whose IP is in IPAM and whose MAC/IP reaches the node's uplink on the lab switch, all under one correlation id", async () => {
    // Node r630-04's uplink (Tenantos server 205, ae1 on the EX3400) is known and pushed once.
    await pushServerPortNow(db, world.panel, admin, 205);
    await expect
      .poll(
        async () => (await db.select().from(switchPushes).where(eq(switchPushes.trigger, "console:server:205")).orderBy(desc(switchPushes.id)))[0]?.status,
        {
          timeout: 15_000,
        },
      )
      .toBe("committed");
    const prefix = await createPrefix(db, admin, { prefix: "10.200.0.0/24", vid: 200, gateway: "10.200.0.1" });
    const proxmox = createProxmoxClient({ baseUrl: world.pve.url, tokenId: world.pve.tokenId, tokenSecret: world.pve.tokenSecret });
    const job = await requestProvisioningJob(db, { proxmox }, admin, {
      request: {
        type: "create_ct",
        node: "r630-04",
        template: DEMO_CT_TEMPLATES[0],
        storage: "local-lvm",
        hostname: "tenant-app-1",
        cores: 1,
        memoryMiB: 512,
        diskGiB: 4,
        bridge: "vmbr0",
        prefixId: prefix.id,
        isStartAfterCreate: true,
      },
      ticketId: "OPS-1400",
    });
    // The worker runs it (no second admin needed: a create on a non-production node).
    const status = async () => (await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, job.id)))[0]!;
    await expect.poll(async () => (await status()).status, { timeout: 20_000 }).toBe("succeeded");
    const done = await status();
    expect(done).toMatchObject({ vmid: 100, address: "10.200.0.2" });

    const ct = world.pve.world.guests.find((g) => g.vmid === 100)!;
    expect(ct).toMatchObject({ node: "r630-04", type: "lxc", status: "running" });
    const [addr] = await db
      .select()
      .from(ipamAddresses)
      .where(sql`${ipamAddresses.address} = '10.200.0.2'::inet`);
    expect(addr).toMatchObject({ status: "active", vmid: 100, hostname: "tenant-app-1", mac: "bc:24:11:00:00:64" });

    // The node's uplink was pushed with the job's correlation id, and the switch now binds the container.
    const trigger = `provisioning:${done.correlationId}`;
    await expect
      .poll(async () => (await db.select().from(switchPushes).where(eq(switchPushes.trigger, trigger)).orderBy(desc(switchPushes.id)))[0]?.status, {
        timeout: 20_000,
      })
      .toBe("committed");
    const uplink = parseBindingsFromDisplaySet(world.ex3400.state.displaySet(), "els").ports.get("ae1.0") ?? [];
    expect(uplink.map((b) => `${b.ip} ${b.mac} ${b.vlan}`)).toContain("10.200.0.2 bc:24:11:00:00:64 v200-tenants");
  });
});
