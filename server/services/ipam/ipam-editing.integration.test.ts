import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, ipamAddresses, ipamPrefixes, ipamVlanMoves, ipamVlans } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildViewer, callerFor } from "@/server/testing/factories";
import { createAddress, updateAddress } from "./addresses";
import { claimNextFreeAddress, createPrefix, createVlan, deletePrefix, deleteVlan, updatePrefix, updateVlan } from "./prefixes";
import { reserveAddress } from "./reservations";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const auditOf = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action));

describe("IPAM editing", () => {
  it("edits and deletes a VLAN nothing uses, audited, and refuses one in use, naming what holds it", async () => {
    await createVlan(db, admin, { vid: 301, name: "spare", status: "planned" });
    const edited = await updateVlan(db, admin, 301, { name: "spare-2", status: "current", description: "renamed" });
    expect(edited).toMatchObject({ vid: 301, name: "spare-2", status: "current", description: "renamed" });
    expect((await auditOf("ipam.vlan.update"))[0]).toMatchObject({ entityId: "301", before: expect.objectContaining({ name: "spare" }) });
    await deleteVlan(db, admin, 301);
    expect(await db.select().from(ipamVlans).where(eq(ipamVlans.vid, 301))).toEqual([]);
    expect(await auditOf("ipam.vlan.delete")).toHaveLength(1);

    // Held three ways: a prefix on it, an address naming it, a planned move onto it.
    await createVlan(db, admin, { vid: 302, name: "held", status: "planned" });
    await createPrefix(db, admin, { prefix: "10.30.2.0/24", vid: 302 });
    await createPrefix(db, admin, { prefix: "10.30.3.0/24", vid: 302 });
    await createAddress(db, admin, { address: "10.30.2.9", hostname: "named", vlanVid: 302 });
    await db.insert(ipamVlanMoves).values({ hostname: "mover", targetAddress: "10.30.2.50", targetVid: 302 });
    const refusal = deleteVlan(db, admin, 302);
    await expect(refusal).rejects.toMatchObject({ code: "CONFLICT", field: "vid" });
    await expect(deleteVlan(db, admin, 302)).rejects.toThrow(
      "VLAN 302 (held) is in use: 2 prefixes (10.30.2.0/24, 10.30.3.0/24); 1 address (10.30.2.9 (named)); 1 planned move (mover → 10.30.2.50)",
    );
    expect(await db.select().from(ipamVlans).where(eq(ipamVlans.vid, 302))).toHaveLength(1);
    expect(await auditOf("ipam.vlan.delete")).toHaveLength(1);
    // An address that names a VLAN but is released is history, not use.
    await createVlan(db, admin, { vid: 303, name: "only-history", status: "planned" });
    const old = await createAddress(db, admin, { address: "10.30.2.10", hostname: "gone", vlanVid: 303 });
    await expect(deleteVlan(db, admin, 303)).rejects.toThrow("1 address (10.30.2.10 (gone))");
    await updateAddress(db, admin, old.id, { status: "released" });
    await deleteVlan(db, admin, 303);
    // A viewer cannot edit at all.
    await expect(callerFor(db, buildViewer()).ipam.deleteVlan({ vid: 302 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("edits a prefix (VLAN, gateway, range while empty) and deletes it only while it holds no address, released ones included", async () => {
    await createVlan(db, admin, { vid: 310, name: "edit-me", status: "current" });
    const p = await createPrefix(db, admin, { prefix: "10.31.0.0/24" });
    const caller = callerFor(db, buildAdmin());
    const moved = await caller.ipam.updatePrefix({ id: p.id, prefix: "10.31.1.0/24", vid: 310, gateway: "10.31.1.1", description: "edited" });
    expect(moved).toMatchObject({ prefix: "10.31.1.0/24", gateway: "10.31.1.1", description: "edited" });
    await expect(updatePrefix(db, admin, p.id, { gateway: "10.99.0.1" })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "gateway" });
    expect((await auditOf("ipam.prefix.update")).map((a) => a.entityId)).toEqual(["10.31.1.0/24"]);

    const a = await claimNextFreeAddress(db, admin, p.id, { hostname: "holder" });
    expect(a.address).toBe("10.31.1.2");
    await expect(updatePrefix(db, admin, p.id, { prefix: "10.31.2.0/24" })).rejects.toThrow(
      "prefix 10.31.1.0/24 is in use: 1 planned address (10.31.1.2 (holder)): its range cannot change",
    );
    await updateAddress(db, admin, a.id, { status: "released" });
    await expect(caller.ipam.deletePrefix({ id: p.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(deletePrefix(db, admin, p.id)).rejects.toThrow("prefix 10.31.1.0/24 is in use: 1 released address (10.31.1.2 (holder))");
    expect(await db.select().from(ipamPrefixes).where(eq(ipamPrefixes.id, p.id))).toHaveLength(1);

    // The VLAN the prefix now sits on is held by it.
    await expect(deleteVlan(db, admin, 310)).rejects.toThrow("1 prefix (10.31.1.0/24)");

    const empty = await createPrefix(db, admin, { prefix: "10.32.0.0/24" });
    await deletePrefix(db, admin, empty.id);
    expect(await db.select().from(ipamPrefixes).where(eq(ipamPrefixes.id, empty.id))).toEqual([]);
    expect((await auditOf("ipam.prefix.delete")).map((x) => x.entityId)).toEqual(["10.32.0.0/24"]);
  });

  it("keeps the parent's next-free hint true when an empty child prefix is deleted", async () => {
    const parent = await createPrefix(db, admin, { prefix: "10.33.0.0/24" });
    const child = await createPrefix(db, admin, { prefix: "10.33.0.128/25" });
    for (let i = 0; i < 3; i++) await claimNextFreeAddress(db, admin, parent.id, {});
    await deletePrefix(db, admin, child.id);
    expect((await claimNextFreeAddress(db, admin, parent.id, {})).address).toBe("10.33.0.4");
    // A gateway change clears the hint: the address the old gateway stood on is free again.
    await updatePrefix(db, admin, parent.id, { gateway: "10.33.0.200" });
    const [row] = await db.select().from(ipamPrefixes).where(eq(ipamPrefixes.id, parent.id));
    expect(row!.nextFreeHint).toBeNull();
    expect((await claimNextFreeAddress(db, admin, parent.id, {})).address).toBe("10.33.0.5");
  });

  it("reserves an address for an owner and service, and the next-free claim passes over it, released or not", async () => {
    const p = await createPrefix(db, admin, { prefix: "10.34.0.0/29", gateway: "10.34.0.1" });
    const caller = callerFor(db, buildAdmin());
    const held = await caller.ipam.reserveAddress({ address: "10.34.0.2", ownerTeam: "payments", service: "ledger-db" });
    expect(held).toMatchObject({ address: "10.34.0.2", status: "planned", ownerTeam: "payments", service: "ledger-db" });
    const next = await caller.ipam.reserveAddress({ prefixId: p.id, ownerTeam: "payments", service: "ledger-replica" });
    expect(next).toMatchObject({ address: "10.34.0.3", status: "planned", service: "ledger-replica" });
    await expect(reserveAddress(db, admin, { address: "10.34.0.6", ownerTeam: " ", service: "x" })).rejects.toMatchObject({ field: "ownerTeam" });
    await expect(reserveAddress(db, admin, { address: "10.34.0.6", ownerTeam: "t", service: "" })).rejects.toMatchObject({ field: "service" });
    expect((await auditOf("ipam.address.reserve")).map((a) => a.entityId).sort()).toEqual(["10.34.0.2", "10.34.0.3"]);

    // A reservation made by hand in the middle of the range, then released: claims go around both.
    const middle = await reserveAddress(db, admin, { address: "10.34.0.5", ownerTeam: "web", service: "edge" });
    await updateAddress(db, admin, middle.id, { status: "released" });
    expect((await claimNextFreeAddress(db, admin, p.id, {})).address).toBe("10.34.0.4");
    expect((await claimNextFreeAddress(db, admin, p.id, {})).address).toBe("10.34.0.6");
    await expect(claimNextFreeAddress(db, admin, p.id, {})).rejects.toThrow("no free address left");
    const statuses = await db.execute<{ address: string; status: string }>(
      sql`select host(address) as address, status from ipam_addresses where address <<= '10.34.0.0/29' order by address`,
    );
    expect(statuses.map((r) => `${r.address}:${r.status}`)).toEqual([
      "10.34.0.2:planned",
      "10.34.0.3:planned",
      "10.34.0.4:planned",
      "10.34.0.5:released",
      "10.34.0.6:planned",
    ]);
    expect(await db.select().from(ipamAddresses).where(eq(ipamAddresses.address, "10.34.0.5"))).toHaveLength(1);
  });
});
