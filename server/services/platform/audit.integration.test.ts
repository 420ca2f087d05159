import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildClientAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { pruneAudit, writeAudit } from "./audit";

const { db } = await createTestDatabase();

async function seed(actor: string, entityType: string, entityId: string, at: string) {
  await db.transaction(async (tx) => {
    const row = await writeAudit(tx, { id: actor }, { action: "test.write", entityType, entityId, after: { n: entityId } });
    await tx.execute(sql`update audit_log set at = ${at}::timestamptz where id = ${row.id}`);
  });
}

describe("audit log listing", () => {
  const alice = `alice-${Date.now()}@ops.test`;
  const bob = `bob-${Date.now()}@ops.test`;

  it("filters by actor, entity and time, newest first, and pages by key", async () => {
    await seed(alice, "switch", "sw1", "2026-01-01T10:00:00Z");
    await seed(alice, "switch", "sw2", "2026-01-02T10:00:00Z");
    await seed(bob, "setting", "vlanAllowlist", "2026-01-03T10:00:00Z");
    await seed(alice, "setting", "backupSchedule", "2026-01-04T10:00:00Z");
    const api = callerFor(db, buildViewer());

    const byActor = await api.audit.list({ actor: "alice-" });
    expect(byActor.rows.map((r) => r.entityId)).toEqual(["backupSchedule", "sw2", "sw1"]);

    expect((await api.audit.list({ entity: "switch" })).rows.map((r) => r.entityId)).toEqual(["sw2", "sw1"]);
    expect((await api.audit.list({ entity: "setting:vlanAllowlist" })).rows.map((r) => r.actor)).toEqual([bob]);
    expect((await api.audit.list({ entity: "sw1" })).rows).toHaveLength(1);

    const window = await api.audit.list({ from: new Date("2026-01-02T00:00:00Z"), to: new Date("2026-01-03T23:59:59Z") });
    expect(window.rows.map((r) => r.entityId)).toEqual(["vlanAllowlist", "sw2"]);

    const first = await api.audit.list({ actor: "alice-", limit: 2 });
    expect(first.rows.map((r) => r.entityId)).toEqual(["backupSchedule", "sw2"]);
    const second = await api.audit.list({ actor: "alice-", limit: 2, beforeId: first.nextBeforeId! });
    expect(second).toMatchObject({ nextBeforeId: null });
    expect(second.rows.map((r) => r.entityId)).toEqual(["sw1"]);
  });

  it("treats LIKE wildcards in the actor filter as text", async () => {
    expect((await callerFor(db, buildAdmin()).audit.list({ actor: "%" })).rows).toEqual([]);
  });

  it("is closed to users without an IT role", async () => {
    await expect(callerFor(db, buildClientAdmin()).audit.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("prunes rows past the retention, keeps the rest, and records that it pruned", async () => {
    const old = new Date(Date.now() - 500 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await seed("prune-old@test", "prune", "old", old);
    await seed("prune-recent@test", "prune", "recent", recent);
    expect(await pruneAudit(db, 400)).toBeGreaterThanOrEqual(1);
    const left = await callerFor(db, buildAdmin()).audit.list({ actor: "prune-" });
    expect(left.rows.filter((r) => r.action === "test.write").map((r) => r.entityId)).toEqual(["recent"]);
    expect((await callerFor(db, buildAdmin()).audit.list({ actor: "system:prune-audit" })).rows[0]).toMatchObject({ action: "audit.pruned" });
  });
});
