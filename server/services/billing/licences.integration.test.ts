import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, billingSeatAssignments } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildFinance, buildViewer, callerFor } from "@/server/testing/factories";
import { createOrg, createSku } from "./catalogue";
import { assignSeat, createLicence, revokeLicence, updateLicenceSeats } from "./licences";
import { exportKeycloakMapping, listLicences } from "./queries";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const org = await createOrg(db, admin, { code: "globex", name: "Globex" });
const cpanel = await createSku(db, admin, {
  code: "cpanel-admin",
  name: "cPanel Admin",
  kind: "licence",
  externalSkuId: "mkt-cpanel-admin",
  unit: "seat-month",
  unitPriceMinor: 1599,
  currency: "usd",
  grantsGroup: "/sankofa-it-viewer",
});

describe("licences and seats", () => {
  it("gives seats up to the count, refuses the next with a clear error, and audits each step", async () => {
    const licence = await createLicence(db, admin, { skuId: cpanel.id, orgId: org.id, seatCount: 2, validFrom: new Date("2026-11-01T00:00:00Z") });
    await assignSeat(db, admin, { licenceId: licence.id, holder: "Ama@Globex.example" });
    await assignSeat(db, admin, { licenceId: licence.id, holder: "kofi@globex.example" });
    await expect(assignSeat(db, admin, { licenceId: licence.id, holder: "yaw@globex.example" })).rejects.toMatchObject({
      code: "CONFLICT",
      field: "holder",
      message: expect.stringContaining(`licence ${licence.id} has 2 seat(s), all assigned`),
    });
    await expect(updateLicenceSeats(db, admin, { licenceId: licence.id, seatCount: 1 })).rejects.toThrow("revoke 1 before lowering to 1");
    await updateLicenceSeats(db, admin, { licenceId: licence.id, seatCount: 3 });
    await assignSeat(db, admin, { licenceId: licence.id, holder: "yaw@globex.example" });
    const actions = (
      await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityId, String(licence.id)))
    ).map((a) => a.action);
    expect(actions).toEqual(["billing.licence.create", "billing.seat.assign", "billing.seat.assign", "billing.licence.seats", "billing.seat.assign"]);
  });

  it("never gives the last seat twice to concurrent requests", async () => {
    const licence = await createLicence(db, admin, { skuId: cpanel.id, orgId: org.id, seatCount: 3, validFrom: new Date() });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => assignSeat(db, admin, { licenceId: licence.id, holder: `user${i}@globex.example` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(await db.select().from(billingSeatAssignments).where(eq(billingSeatAssignments.licenceId, licence.id))).toHaveLength(3);
  });

  it("revokes a licence with its seats, and exports the Keycloak group only for live licences' holders", async () => {
    const live = await createLicence(db, admin, { skuId: cpanel.id, orgId: org.id, seatCount: 1, validFrom: new Date() });
    await assignSeat(db, admin, { licenceId: live.id, holder: "efua@globex.example" });
    const gone = await createLicence(db, admin, { skuId: cpanel.id, orgId: org.id, seatCount: 1, validFrom: new Date() });
    await assignSeat(db, admin, { licenceId: gone.id, holder: "kwame@globex.example" });
    await revokeLicence(db, admin, { licenceId: gone.id });
    await expect(assignSeat(db, admin, { licenceId: gone.id, holder: "kwame@globex.example" })).rejects.toThrow("is revoked");
    const mapping = await exportKeycloakMapping(db);
    const group = mapping.groups.find((g) => g.group === "/sankofa-it-viewer")!;
    expect(group.members).toContain("efua@globex.example");
    expect(group.members).not.toContain("kwame@globex.example");
    expect((await listLicences(db)).find((l) => l.id === gone.id)).toMatchObject({ status: "revoked", assigned: 0 });
  });

  it("refuses a SKU whose marketplace id is another SKU's, naming the field", async () => {
    await expect(
      createSku(db, admin, {
        code: "cpanel-2",
        name: "x",
        kind: "licence",
        externalSkuId: "mkt-cpanel-admin",
        unit: "seat",
        unitPriceMinor: 1,
        currency: "USD",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", field: "externalSkuId" });
    await expect(
      createSku(db, admin, {
        code: "cpu",
        name: "CPU",
        kind: "infra",
        externalSkuId: "mkt-cpu",
        unit: "hour",
        unitPriceMinor: 1.5,
        currency: "EUR",
        meter: "cpu_hours",
      }),
    ).rejects.toMatchObject({ field: "unitPriceMinor" });
  });
});

describe("billing roles", () => {
  it("lets finance and admins see billing, and not viewers", async () => {
    expect(await callerFor(db, buildFinance()).billing.licences()).not.toHaveLength(0);
    expect(await callerFor(db, buildAdmin()).billing.skus()).not.toHaveLength(0);
    await expect(callerFor(db, buildViewer()).billing.licences()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(db, buildViewer()).billing.invoices()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lets finance change licences but not read or touch switches", async () => {
    const finance = callerFor(db, buildFinance());
    const licence = await createLicence(db, admin, { skuId: cpanel.id, orgId: org.id, seatCount: 1, validFrom: new Date() });
    await finance.billing.assignSeat({ licenceId: licence.id, holder: "finance-test@globex.example" });
    await expect(finance.billing.assignSeat({ licenceId: licence.id, holder: "second@globex.example" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(finance.switches.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(finance.switches.backupNow({ id: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
