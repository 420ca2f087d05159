import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { portSecurityEvents } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { processServerEvents } from "./processing";
import { acceptPortSecurityEvent, requeueWaitingEvents } from "./events";

const { db } = await createTestDatabase();
const jobsFor = async (serverId: number) =>
  (
    await db.execute<{ n: number }>(
      sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'port-security-event' and key = ${`ps:server:${serverId}`}`,
    )
  )[0]!.n;

describe("one job per server with waiting events", () => {
  it("queues a job for the first waiting event only, and the job queues the next run for events that came meanwhile", async () => {
    await acceptPortSecurityEvent(db, { action: "ip_assigned", serverId: 31, ip: "10.0.31.1" });
    await acceptPortSecurityEvent(db, { action: "ip_assigned", serverId: 31, ip: "10.0.31.2" });
    expect(await jobsFor(31)).toBe(1);

    // The job handles both (Tenantos is not configured here: skipped, with the reason).
    await db.execute(sql`delete from graphile_worker._private_jobs`);
    await processServerEvents(db, undefined, 31);
    const rows = await db.select().from(portSecurityEvents).where(eq(portSecurityEvents.serverId, 31));
    expect(rows.map((r) => r.status)).toEqual(["skipped", "skipped"]);
    expect(await jobsFor(31)).toBe(0);

    // Nothing waits now, so the next event queues a job again.
    await acceptPortSecurityEvent(db, { action: "ip_removed", serverId: 31, ip: "10.0.31.2" });
    expect(await jobsFor(31)).toBe(1);
  });

  it("re-queues a server whose events waited over a minute with no job", async () => {
    const { id } = await acceptPortSecurityEvent(db, { action: "server_deleted", serverId: 32 });
    await db.execute(sql`delete from graphile_worker._private_jobs`);
    await db
      .update(portSecurityEvents)
      .set({ receivedAt: new Date(Date.now() - 120_000) })
      .where(eq(portSecurityEvents.id, id));
    expect(await requeueWaitingEvents(db)).toBeGreaterThanOrEqual(1);
    expect(await jobsFor(32)).toBe(1);
  });
});
