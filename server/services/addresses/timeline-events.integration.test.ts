import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/server/testing/database";
import { getAddressHistory } from "./history";

const { db } = await createTestDatabase();

type Step = { action: "ip_assigned" | "ip_removed" | "server_deleted"; serverId: number };

describe("Tenantos periods over any sequence of events", () => {
  it("never overlap, and the open one is the server the events last left holding the IP", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            action: fc.constantFrom("ip_assigned" as const, "ip_removed" as const, "server_deleted" as const),
            serverId: fc.integer({ min: 1, max: 3 }),
          }),
          { maxLength: 12 },
        ),
        async (steps: Step[]) => {
          run++;
          const ip = `10.66.${Math.floor(run / 250)}.${run % 250}`;
          const base = Date.UTC(2026, 10, 1);
          let holder: number | null = null;
          for (const [i, s] of steps.entries()) {
            // The door stores one row per event, at its own time (a minute apart here).
            await db.execute(sql`insert into port_security_events (action, server_id, ip, dedupe_key, received_at)
              values (${s.action}, ${s.serverId}, ${s.action === "server_deleted" ? null : ip}, ${`${run}|${i}`}, ${new Date(base + i * 60_000).toISOString()}::timestamptz)`);
            if (s.action === "ip_assigned") holder = s.serverId;
            else if (holder === s.serverId) holder = null;
          }
          const { timeline } = await getAddressHistory(db, ip);
          const periods = timeline.filter((e) => e.kind === "tenantos_assignment");
          for (let i = 1; i < periods.length; i++) expect(periods[i - 1]!.to !== null && periods[i - 1]!.to! <= periods[i]!.from).toBe(true);
          const open = periods.filter((p) => p.to === null);
          expect(open.map((p) => p.tenantos_server_id)).toEqual(holder === null ? [] : [holder]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
