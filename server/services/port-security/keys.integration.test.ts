import postgres from "postgres";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { jobKeys } from "@/lib/jobs/keys";
import { createTestDatabase } from "@/server/testing/database";
import { acceptPortSecurityEvent, lockServerEvents } from "./events";

const { db, url } = await createTestDatabase();

describe("the event door's SQL function and the code share their keys", () => {
  it("queues the server's job under the key the code uses", async () => {
    await acceptPortSecurityEvent(db, { action: "ip_assigned", serverId: 4101, ip: "10.0.48.5" });
    const jobs = await db.execute<{ key: string }>(sql`select key from graphile_worker.jobs where task_identifier = 'port-security-event'`);
    expect(jobs.map((j) => j.key)).toEqual([jobKeys.portSecurityServer(4101)]);
  });

  it("takes the same per-server advisory lock as the event job: it waits while the job holds it", async () => {
    const other = postgres(url, { max: 1, onnotice: () => {} });
    afterAll(() => other.end());
    await db.transaction(async (tx) => {
      await lockServerEvents(tx, 4102);
      // From another connection the door's function must wait for that lock (and time out here).
      const attempt = other.begin(async (t) => {
        await t`set local lock_timeout = '300ms'`;
        await t`select * from sankofa_accept_port_security_event('ip_assigned', 4102, '10.0.48.6', 'k', 300, 5)`;
      });
      await expect(attempt).rejects.toMatchObject({ code: "55P03" });
    });
    // Another server's lock does not block it.
    await db.transaction(async (tx) => {
      await lockServerEvents(tx, 4103);
      await other`select * from sankofa_accept_port_security_event('ip_assigned', 4102, '10.0.48.6', 'k', 300, 5)`;
    });
  });
});
