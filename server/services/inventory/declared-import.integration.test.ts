import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/server/testing/database";
import { importDeclaredFromPaths, planDeclaredFromPaths } from "./declared-import";
import { eq } from "drizzle-orm";
import { inventoryDeclared } from "@/drizzle/schema";
import { getDeclaredFiles, getInventoryDrift, importDeclaredFiles } from "./queries";
import { createPrefix } from "../ipam/prefixes";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };

describe("declared files from configured paths", () => {
  it("feeds drift and IPAM from the files the deployment names, idempotently, and says which file failed", async () => {
    await createPrefix(db, admin, { prefix: "192.168.11.0/24" });
    const paths = { conf: "lab/inventory/ip-addresses.conf", doc: "lab/inventory/ALL_VMIDS_ENDPOINTS.md" };
    // Without a confirmed plan the files are kept for drift and IPAM is not touched.
    expect((await importDeclaredFromPaths(db, admin, paths)).ipam).toBeNull();
    const plan = (await planDeclaredFromPaths(db, paths)).ipam!;
    expect(plan.counts.create).toBeGreaterThan(30);
    const first = await importDeclaredFromPaths(db, admin, paths, plan.digest);
    expect(first.ipam!.created).toBe(plan.counts.create);
    expect((await getDeclaredFiles(db)).conf?.name).toBe("ip-addresses.conf");
    const again = (await planDeclaredFromPaths(db, paths)).ipam!;
    expect((await importDeclaredFromPaths(db, admin, paths, again.digest)).ipam).toMatchObject({ created: 0, updated: 0 });
    await expect(importDeclaredFromPaths(db, admin, { conf: "/nonexistent/ip-addresses.conf" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("/nonexistent/ip-addresses.conf: ENOENT"),
    });
    await expect(importDeclaredFromPaths(db, admin, {})).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("parses a declared file once, at import: a drift read uses that parse, not the text again", async () => {
    await importDeclaredFiles(db, admin, { conf: { content: "A=10.9.0.1\nbad line\n", name: "once.conf" } });
    const declared = await getDeclaredFiles(db);
    expect(declared.conf?.parsed).toMatchObject({ entries: [{ key: "A", ip: "10.9.0.1" }], problems: [{ line: 2 }] });
    // Change the stored text behind the service's back: a drift read that parsed it again would see it.
    await db.update(inventoryDeclared).set({ content: "Z=10.9.9.9" }).where(eq(inventoryDeclared.kind, "ip-addresses-conf"));
    const drift = await getInventoryDrift(db);
    expect(drift.declared.ip_addresses_conf).toMatchObject({ name: "once.conf", entries: 1, problems: [{ line: 2 }] });
  });
});
