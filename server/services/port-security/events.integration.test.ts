import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { portSecurityEvents } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { processServerEvents } from "./processing";
import type { PortSecurityEvent } from "@/lib/port-security/event";
import { acceptPortSecurityEvent, acceptPortSecurityEvents, createEventGatherer, requeueWaitingEvents } from "./events";

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

describe("events stored together (the production door gathers them)", () => {
  it("accepts a batch exactly as one event at a time: repeats, one job per server, answers in the input's order", async () => {
    const batch: PortSecurityEvent[] = [
      { action: "ip_assigned", serverId: 42, ip: "10.0.42.1" },
      { action: "ip_assigned", serverId: 41, ip: "10.0.41.1" },
      { action: "ip_assigned", serverId: 42, ip: "10.0.42.1" },
      { action: "ip_assigned", serverId: 42, ip: "10.0.42.2" },
    ];
    const results = await acceptPortSecurityEvents(db, batch);
    expect(results.map((r) => r.isDuplicate)).toEqual([false, false, true, false]);
    expect(results[2]!.id).toBe(results[0]!.id);
    const stored = await db
      .select()
      .from(portSecurityEvents)
      .where(sql`${portSecurityEvents.serverId} in (41, 42)`);
    expect(stored.map((r) => [r.id, r.serverId, r.ip]).sort()).toEqual(
      [
        [results[0]!.id, 42, "10.0.42.1"],
        [results[1]!.id, 41, "10.0.41.1"],
        [results[3]!.id, 42, "10.0.42.2"],
      ].sort(),
    );
    expect([await jobsFor(41), await jobsFor(42)]).toEqual([1, 1]);
  });

  it("never deadlocks: concurrent batches over the same servers in opposite orders all complete", async () => {
    const servers = Array.from({ length: 12 }, (_, i) => 500 + i);
    const batchOf = (order: number[], round: number) => order.map((id) => ({ action: "ip_assigned" as const, serverId: id, ip: `10.5.${round}.${id - 490}` }));
    const rounds = Array.from({ length: 8 }, (_, round) => acceptPortSecurityEvents(db, batchOf(round % 2 ? [...servers].reverse() : servers, round)));
    const answers = await Promise.all(rounds);
    expect(answers.flat().every((r) => r.id > 0 && !r.isDuplicate)).toBe(true);
    expect(new Set(answers.flat().map((r) => r.id)).size).toBe(8 * 12);
  });

  it("gathers concurrent events and hands each caller its own event's id", async () => {
    const gatherer = createEventGatherer(db, { inFlight: 2 });
    const events = Array.from({ length: 40 }, (_, i) => ({ action: "ip_assigned" as const, serverId: 600 + (i % 7), ip: `10.6.0.${i + 1}` }));
    const answers = await Promise.all(events.map((e) => gatherer.accept(e)));
    const byId = new Map(
      (
        await db
          .select()
          .from(portSecurityEvents)
          .where(sql`${portSecurityEvents.serverId} between 600 and 606`)
      ).map((r) => [r.id, r]),
    );
    expect(byId.size).toBe(40);
    answers.forEach((a, i) => expect([byId.get(a.id)?.serverId, byId.get(a.id)?.ip]).toEqual([events[i]!.serverId, events[i]!.ip]));
  });

  it("refuses only the event at fault when a gathered batch fails, and stores its neighbours", async () => {
    const gatherer = createEventGatherer(db, { inFlight: 1 });
    // Past Postgres's integer: the batch statement fails on it; alone, only it fails.
    const bad = { action: "ip_assigned" as const, serverId: 2 ** 31, ip: "10.7.0.99" };
    const good = Array.from({ length: 6 }, (_, i) => ({ action: "ip_assigned" as const, serverId: 700 + i, ip: `10.7.0.${i + 1}` }));
    const first = gatherer.accept({ action: "ip_assigned", serverId: 699, ip: "10.7.0.200" }); // in flight alone; the rest queue together
    const settled = await Promise.allSettled([
      first,
      ...good.slice(0, 3).map((e) => gatherer.accept(e)),
      gatherer.accept(bad),
      ...good.slice(3).map((e) => gatherer.accept(e)),
    ]);
    expect(settled.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    const stored = await db
      .select()
      .from(portSecurityEvents)
      .where(sql`${portSecurityEvents.serverId} between 699 and 705`);
    expect(stored).toHaveLength(7);
  });
});
