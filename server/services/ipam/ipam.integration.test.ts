import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, ipamAddresses } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { createAddress, listAddresses, listAddressHistory, updateAddress } from "./addresses";
import { applyCsvImport, exportCsv, importDeclaredInventory, planCsvImport, planDeclaredInventoryImport } from "./import";
import { claimNextFreeAddress, createPrefix, createVlan, listPrefixUtilization } from "./prefixes";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
// An import is applied as planned: plan, then apply with the plan's digest (the console's two steps).
const importCsv = async (kind: "vlans" | "prefixes" | "ip-addresses", csv: string) =>
  applyCsvImport(db, admin, { kind, csv, digest: (await planCsvImport(db, kind, csv)).digest });
const importDeclaredNow = async (input: { confText: string; docText: string }) =>
  importDeclaredInventory(db, admin, { ...input, digest: (await planDeclaredInventoryImport(db, input)).digest });

describe("IPAM", () => {
  it("keeps addresses unique and inside a prefix, with history and audit", async () => {
    await createVlan(db, admin, { vid: 11, name: "flat", status: "current" });
    const p = await createPrefix(db, admin, { prefix: "10.11.0.0/16", vid: 11, gateway: "10.11.0.1" });
    await expect(createPrefix(db, admin, { prefix: "10.12.0.0/16", gateway: "10.13.0.1" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "gateway" });
    const a = await createAddress(db, admin, { address: "10.11.0.10", hostname: "web-1", mac: "BC:24:11:00:00:10" });
    expect(a).toMatchObject({ address: "10.11.0.10", prefixId: p.id, mac: "bc:24:11:00:00:10", status: "active" });
    await expect(createAddress(db, admin, { address: "10.11.0.10" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(db.insert(ipamAddresses).values({ address: "10.11.0.10" })).rejects.toMatchObject({ cause: { code: "23505" } });
    await expect(createAddress(db, admin, { address: "192.0.2.9" })).rejects.toThrow("outside every prefix");
    await updateAddress(db, admin, a.id, { status: "released" });
    expect((await listAddressHistory(db, "10.11.0.10")).map((e) => e.kind)).toEqual(["released", "created"]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "ipam.address.release"))).toHaveLength(1);
    await expect(callerFor(db, buildViewer()).ipam.createAddress({ address: "10.11.0.11" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("never gives two concurrent claims the same address, skipping network, gateway and used ones", async () => {
    const p = await createPrefix(db, admin, { prefix: "10.50.0.0/27", gateway: "10.50.0.1" });
    await createAddress(db, admin, { address: "10.50.0.3", hostname: "taken" });
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claimNextFreeAddress(db, admin, p.id, { hostname: `vm-${i}` })));
    const got = claims.map((c) => c.address);
    expect(new Set(got).size).toBe(20);
    expect(got).not.toContain("10.50.0.0");
    expect(got).not.toContain("10.50.0.1");
    expect(got).not.toContain("10.50.0.3");
    expect([...got].sort((x, y) => Number(x.split(".")[3]) - Number(y.split(".")[3]))[0]).toBe("10.50.0.2");
    // 30 hosts, gateway and one taken: 28 claimable, 20 gone, 8 left, then full.
    for (let i = 0; i < 8; i++) await claimNextFreeAddress(db, admin, p.id, {});
    await expect(claimNextFreeAddress(db, admin, p.id, {})).rejects.toThrow("no free address left");
    const util = (await listPrefixUtilization(db)).find((u) => u.id === p.id)!;
    expect(util).toMatchObject({ used: 29, size: 30 });
  });

  it("finds the lowest hole, not just the address after the highest", async () => {
    const p = await createPrefix(db, admin, { prefix: "10.60.0.0/29" });
    for (const a of ["10.60.0.1", "10.60.0.2", "10.60.0.4"]) await createAddress(db, admin, { address: a });
    expect((await claimNextFreeAddress(db, admin, p.id, {})).address).toBe("10.60.0.3");
    expect((await claimNextFreeAddress(db, admin, p.id, {})).address).toBe("10.60.0.5");
  });

  it("proposes the next free address without claiming it, and claims only the address that was confirmed", async () => {
    const p = await createPrefix(db, admin, { prefix: "10.61.0.0/29", gateway: "10.61.0.1" });
    const caller = callerFor(db, buildAdmin());
    const proposal = await caller.ipam.proposeNextFree({ prefixId: p.id });
    expect(proposal).toEqual({ address: "10.61.0.2", prefix: "10.61.0.0/29" });
    // Looking twice claims nothing: the same answer, no row, no audit.
    expect(await caller.ipam.proposeNextFree({ prefixId: p.id })).toEqual(proposal);
    expect((await listPrefixUtilization(db)).find((u) => u.id === p.id)!.used).toBe(0);
    // Someone else took it meanwhile: the confirmed claim refuses rather than take another address.
    await createAddress(db, admin, { address: "10.61.0.2" });
    await expect(caller.ipam.claimNextFree({ prefixId: p.id, expected: proposal.address })).rejects.toThrow("10.61.0.2 is no longer the next free address");
    const again = await caller.ipam.proposeNextFree({ prefixId: p.id });
    expect(again.address).toBe("10.61.0.3");
    expect(await caller.ipam.claimNextFree({ prefixId: p.id, expected: again.address, hostname: "vm-confirmed" })).toMatchObject({
      address: "10.61.0.3",
      hostname: "vm-confirmed",
    });
  });

  it("counts addresses of a more specific prefix as taken in its parent, and keeps finding the lowest free", async () => {
    const parent = await createPrefix(db, admin, { prefix: "10.70.0.0/24" });
    expect((await claimNextFreeAddress(db, admin, parent.id, {})).address).toBe("10.70.0.1");
    expect((await claimNextFreeAddress(db, admin, parent.id, {})).address).toBe("10.70.0.2");
    const child = await createPrefix(db, admin, { prefix: "10.70.0.0/30" });
    expect((await listPrefixUtilization(db)).find((u) => u.id === child.id)!.used).toBe(2);
    await createAddress(db, admin, { address: "10.70.0.4" });
    expect(await claimNextFreeAddress(db, admin, parent.id, {})).toMatchObject({ address: "10.70.0.3", prefixId: child.id });
    expect((await claimNextFreeAddress(db, admin, parent.id, {})).address).toBe("10.70.0.5");
  });

  it("pages by key with filters and sorting in the database", async () => {
    const first = await callerFor(db, buildAdmin()).ipam.addresses({ search: "10.50.0.", limit: 10, sort: "address" });
    expect(first.rows.map((r) => r.address)).toEqual([
      "10.50.0.2",
      "10.50.0.3",
      "10.50.0.4",
      "10.50.0.5",
      "10.50.0.6",
      "10.50.0.7",
      "10.50.0.8",
      "10.50.0.9",
      "10.50.0.10",
      "10.50.0.11",
    ]);
    const second = await listAddresses(db, { search: "10.50.0.0/27", sort: "address", after: first.next!, limit: 10 });
    expect(second.rows[0]!.address).toBe("10.50.0.12");
    expect((await listAddresses(db, { search: "taken", sort: "hostname", limit: 10 })).rows.map((r) => r.address)).toEqual(["10.50.0.3"]);
  });

  it("imports the declared inventory idempotently and reports conflicts without overwriting", async () => {
    await createPrefix(db, admin, { prefix: "192.168.11.0/24" });
    await createAddress(db, admin, { address: "192.168.11.250", hostname: "hand-made" });
    const confText = readFileSync("lab/inventory/ip-addresses.conf", "utf8") + "\nDUP_OF_FIRST=192.168.11.250\nBROKEN=1.2.3\nOUTSIDE=203.0.113.5\n";
    const docText = readFileSync("lab/inventory/ALL_VMIDS_ENDPOINTS.md", "utf8");
    const first = await importDeclaredNow({ confText, docText });
    expect(first.created).toBeGreaterThan(10);
    expect(first.conflicts.map((c) => c.key)).toEqual(expect.arrayContaining(["malformed_line", "outside_every_prefix", "owned_elsewhere"]));
    expect(first.conflicts.find((c) => c.key === "malformed_line" && c.reason.includes("1.2.3"))?.line).toBeGreaterThan(1);
    const [hand] = await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "192.168.11.250"));
    expect(hand!.hostname).toBe("hand-made");
    const again = await importDeclaredNow({ confText, docText });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: first.created });
  });

  it("moves VLANs, prefixes and addresses through NetBox CSV both ways, all or nothing", async () => {
    const csv = await exportCsv(db, "ip-addresses");
    expect(csv.split("\n")[0]).toBe("address,status,dns_name,description,cf_vmid,cf_mac,cf_vlan,cf_owner_team,cf_service,cf_source_ref,cf_sankofa_status");
    expect(csv).toContain("10.11.0.10/16,deprecated,web-1");
    await expect(importCsv("vlans", "vid,name\n120,prod-db\n9999,bad\n")).rejects.toThrow("row 3, column vid");
    expect((await exportCsv(db, "vlans")).includes("prod-db")).toBe(false);
    expect(await importCsv("vlans", "vid,name,status\n120,prod-db,reserved\n")).toMatchObject({ created: 1, updated: 0, conflicts: [] });
    expect(await importCsv("prefixes", "prefix,vlan,cf_gateway\n10.120.0.0/24,120,10.120.0.1\n")).toMatchObject({ created: 1, updated: 0, conflicts: [] });
    expect(await importCsv("ip-addresses", "address,status,dns_name\n10.120.0.20/24,reserved,db-1\n")).toMatchObject({ created: 1, updated: 0, conflicts: [] });
    expect(await exportCsv(db, "prefixes")).toContain("10.120.0.0/24,active,120,,10.120.0.1");
    const [db1] = await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.120.0.20"));
    expect(db1).toMatchObject({ hostname: "db-1", status: "planned" });
  });
});
