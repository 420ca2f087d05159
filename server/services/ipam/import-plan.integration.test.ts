import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, ipamAddresses, ipamVlans } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, callerFor } from "@/server/testing/factories";
import { createAddress, updateAddress } from "./addresses";
import { applyCsvImport, importDeclaredInventory, planCsvImport, planDeclaredInventoryImport } from "./import";
import { createPrefix, createVlan } from "./prefixes";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };

describe("import plans", () => {
  it("shows a CSV's plan without writing, applies it as confirmed, and leaves its conflicts out", async () => {
    await createVlan(db, admin, { vid: 401, name: "old-name", status: "current" });
    const csv = "vid,name,status\n401,new-name,active\n402,added,reserved\n402,twice,reserved\n";
    const caller = callerFor(db, buildAdmin());
    const plan = await caller.ipam.planCsvImport({ kind: "vlans", csv });
    expect(plan.counts).toEqual({ create: 0, update: 1, unchanged: 0, conflict: 2 });
    expect(plan.rows.find((r) => r.key === "401")).toMatchObject({ action: "update", reason: "name: old-name → new-name" });
    // Planning wrote nothing.
    expect((await db.select().from(ipamVlans).where(eq(ipamVlans.vid, 401)))[0]!.name).toBe("old-name");

    const applied = await caller.ipam.applyCsvImport({ kind: "vlans", csv, digest: plan.digest });
    expect(applied).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(applied.conflicts.map((c) => c.key)).toEqual(["402", "402"]);
    expect((await db.select().from(ipamVlans).where(eq(ipamVlans.vid, 401)))[0]!.name).toBe("new-name");
    expect(await db.select().from(ipamVlans).where(eq(ipamVlans.vid, 402))).toEqual([]);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "ipam.import_csv"));
    expect(audit!.after).toMatchObject({ updated: 1, conflicts: 2, digest: plan.digest });
  });

  it("refuses a CSV plan when the stored rows changed since it was made, and writes nothing", async () => {
    await createPrefix(db, admin, { prefix: "10.41.0.0/24" });
    await createAddress(db, admin, { address: "10.41.0.5", hostname: "before" });
    const csv = "address,status,dns_name\n10.41.0.5/24,active,from-csv\n10.41.0.6/24,active,new-one\n";
    const plan = await planCsvImport(db, "ip-addresses", csv);
    expect(plan.counts).toMatchObject({ create: 1, update: 1 });

    // Someone edits the address between the plan and its confirmation.
    const [row] = await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.41.0.5"));
    await updateAddress(db, admin, row!.id, { hostname: "edited-meanwhile" });
    await expect(applyCsvImport(db, admin, { kind: "ip-addresses", csv, digest: plan.digest })).rejects.toMatchObject({
      code: "CONFLICT",
      field: "digest",
      message: expect.stringContaining("plan it again"),
    });
    expect(await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.41.0.6"))).toEqual([]);
    expect((await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.41.0.5")))[0]!.hostname).toBe("edited-meanwhile");
    // A digest for other text is refused too.
    await expect(applyCsvImport(db, admin, { kind: "ip-addresses", csv: csv + "10.41.0.7/24,active,sneaked\n", digest: plan.digest })).rejects.toMatchObject({
      field: "digest",
    });

    const fresh = await planCsvImport(db, "ip-addresses", csv);
    expect(fresh.rows.find((r) => r.key === "10.41.0.5")!.reason).toBe("hostname: edited-meanwhile → from-csv");
    await applyCsvImport(db, admin, { kind: "ip-addresses", csv, digest: fresh.digest });
    expect((await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.41.0.6")))[0]!.hostname).toBe("new-one");
  });

  it("refuses a declared-file plan once a prefix or address it depends on changed", async () => {
    const confText = "WEB_42=10.42.0.10\nDB_42=10.42.0.11\n";
    const before = await planDeclaredInventoryImport(db, { confText });
    expect(before.counts).toMatchObject({ create: 0, conflict: 2 });
    expect(before.rows[0]!.reason).toContain("outside every prefix");

    await createPrefix(db, admin, { prefix: "10.42.0.0/24" });
    await expect(importDeclaredInventory(db, admin, { confText, digest: before.digest })).rejects.toMatchObject({ code: "CONFLICT", field: "digest" });

    const plan = await planDeclaredInventoryImport(db, { confText });
    expect(plan.counts).toMatchObject({ create: 2, conflict: 0 });
    await createAddress(db, admin, { address: "10.42.0.11", hostname: "hand-made" });
    await expect(importDeclaredInventory(db, admin, { confText, digest: plan.digest })).rejects.toMatchObject({ field: "digest" });
    expect(await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.42.0.10"))).toEqual([]);

    const last = await planDeclaredInventoryImport(db, { confText });
    expect(last.rows.map((r) => r.action).sort()).toEqual(["conflict", "create"]);
    expect(await importDeclaredInventory(db, admin, { confText, digest: last.digest })).toMatchObject({ created: 1, conflicts: [{ key: "owned_elsewhere" }] });
  });
});
