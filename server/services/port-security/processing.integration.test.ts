import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { labDedicatedServer, startLabTenantos } from "@/lab/tenantos";
import { portSecurityEvents, switches } from "@/drizzle/schema";
import { createTenantosClient, type TenantosClient } from "@/server/connectors/tenantos/client";
import { createTestDatabase } from "@/server/testing/database";
import { processServerEvents } from "./processing";
import { createSwitch } from "../switches/switches";

const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);

/** Connections of this test's database that sit inside an open transaction right now. */
async function countOpenTransactions(): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`);
  return row!.n;
}

describe("turning a server's events into work", () => {
  it("asks Tenantos before any transaction opens, so a slow panel holds no locks", async () => {
    const lab = await startLabTenantos({
      world: {
        servers: [
          labDedicatedServer({ id: 41, connections: [{ id: 1, type: "snmp_switch", switchId: 77, portId: 1, portName: "ge-0/0/41", switchAutomation: true }] }),
        ],
        subnets: [{ id: 48, subnet: "10.0.48.0/24", vlanId: 13 }],
        networkDevices: [],
      },
    });
    afterAll(() => lab.close());
    const row = await createSwitch(db, secretsKey, { id: "admin" }, { name: "tx-sw", host: "127.0.0.1", port: 9, username: "sankofa", password: "x" });
    await db.update(switches).set({ tenantosDeviceId: 77 }).where(eq(switches.id, row.id));
    await db.insert(portSecurityEvents).values({ action: "ip_assigned", serverId: 41, ip: "10.0.48.5", dedupeKey: "ip_assigned|41|10.0.48.5" });

    const real = createTenantosClient({ baseUrl: lab.url, apiKey: lab.apiKey, timeoutMs: 3_000 });
    // The real client against the lab, each call first noting whether one of our transactions is open.
    const seen: number[] = [];
    const watched: TenantosClient = new Proxy(real, {
      get: (target, name: keyof TenantosClient) =>
        typeof target[name] === "function"
          ? async (...args: unknown[]) => {
              seen.push(await countOpenTransactions());
              return (target[name] as (...a: unknown[]) => unknown)(...args);
            }
          : target[name],
    });
    const outcome = await processServerEvents(db, { tenantos: watched, untaggedVlanId: 11 }, 41);
    expect(outcome).toMatchObject({ status: "queued", switchId: row.id, interface: "ge-0/0/41.0" });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n === 0)).toBe(true);

    // A burst: the next event within the reuse window marks the known port again without asking Tenantos.
    await db.insert(portSecurityEvents).values({ action: "ip_assigned", serverId: 41, ip: "10.0.48.6", dedupeKey: "ip_assigned|41|10.0.48.6" });
    const asked = seen.length;
    expect(await processServerEvents(db, { tenantos: watched, untaggedVlanId: 11 }, 41)).toMatchObject({ status: "queued", interface: "ge-0/0/41.0" });
    expect(seen.length).toBe(asked);
  });
});
