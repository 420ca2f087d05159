import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/server/testing/database";

const { db } = await createTestDatabase();

// The big lists' default sorts, as listPage writes them (the sort column, then the id tiebreaker,
// both in the view's direction). Each must be read from an index in order: a plan that sorts reads
// the whole table on every page load (a million audit rows: bench:pages).
const LISTS = [
  { table: "audit_log", order: ["at", "id"] },
  { table: "job_runs", order: ["finished_at", "id"] },
  { table: "port_security_events", order: ["received_at", "id"] },
  { table: "vmac_events", order: ["at", "id"] },
] as const;

async function planOf(query: string): Promise<string> {
  return db.transaction(async (tx) => {
    // The tables are empty here: without this the planner would rightly scan them; with it, only a plan with no index in order sorts.
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = await tx.execute<{ "QUERY PLAN": string }>(sql.raw(`explain ${query}`));
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}

describe("the big lists' indexes", () => {
  for (const { table, order } of LISTS) {
    for (const dir of ["desc", "asc"] as const) {
      it(`read ${table} by ${order.join(", ")} ${dir} in index order, with no sort`, async () => {
        const plan = await planOf(`select * from ${table} order by ${order.map((c) => `${table}.${c} ${dir}`).join(", ")} limit 50 offset 100`);
        expect(plan).toMatch(/Index Scan/);
        expect(plan).not.toMatch(/Sort/);
      });
    }
  }
});
