import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { createTenantosClient } from "@/server/connectors/tenantos/client";
import { handleSearchApi } from "@/server/doors/addresses-api";
import { createTestDatabase } from "@/server/testing/database";
import { buildAdmin, buildFinance, buildViewer, callerFor } from "@/server/testing/factories";
import { createApiKey } from "../platform/api-keys";
import { syncPanelPorts } from "../port-security/tenantos-port-sync";
import { searchEverything } from "./search";

const { db } = await createTestDatabase();
let panel: LabTenantos;

beforeAll(async () => {
  // Two servers as the panel lists them (GET /api/servers: `servername`, `hostname`, `primaryip`);
  // neither is automatable here (no switch registered), which does not keep their names out of search.
  panel = await startLabTenantos({
    world: {
      servers: [
        { id: 31, servername: "srv-web-31", hostname: "web31.customer-a.test", ips: [{ ip: "10.0.60.5", subnetId: 60, isPrimary: true }], connections: [] },
        {
          id: 32,
          servername: "srv-mail-32",
          hostname: "mail.customer-b.test",
          ips: [],
          connections: [{ id: 320, type: "snmp_switch", switchId: 9, portId: 4, portName: "ge-0/0/4", switchAutomation: true }],
        },
      ],
      subnets: [{ id: 60, subnet: "10.0.60.0/24", vlanId: 60 }],
      networkDevices: [{ id: 9, name: "sw-unregistered", ports: [{ id: 4, name: "ge-0/0/4" }] }],
    },
  });
});
afterAll(() => panel.close());

const outside = () => ({ tenantos: createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 3_000 }), untaggedVlanId: 11 });

describe("search by a Tenantos server's names", () => {
  it("finds a server by its hostname from the panel, exactly, by its beginning and by a part", async () => {
    const sync = await syncPanelPorts(db, outside());
    expect(sync.known).toBe(0);
    const exact = await searchEverything(db, "web31.customer-a.test");
    expect(exact.results[0]).toEqual({
      kind: "tenantos_server",
      label: "web31.customer-a.test",
      href: "/it/addresses/10.0.60.5",
      detail: "Tenantos server 31 · srv-web-31 · 10.0.60.5",
      rank: 0,
    });
    expect((await searchEverything(db, "mail.cust")).results.find((r) => r.kind === "tenantos_server")).toMatchObject({
      label: "mail.customer-b.test",
      // No primary IP: the server's events page.
      href: "/it/port-security?server=32",
      rank: 1,
    });
    expect((await searchEverything(db, "customer-")).results.filter((r) => r.kind === "tenantos_server").map((r) => r.label)).toEqual([
      "mail.customer-b.test",
      "web31.customer-a.test",
    ]);
    // The panel's servername finds it too, and the id alone now names it.
    expect((await searchEverything(db, "srv-mail")).results.find((r) => r.kind === "tenantos_server")?.label).toBe("mail.customer-b.test");
    expect((await searchEverything(db, "32")).results.find((r) => r.kind === "tenantos_server")?.label).toBe("Tenantos server 32");
  });

  it("follows a rename in the panel at the next sync", async () => {
    panel.world.servers[0]!.hostname = "shop.customer-a.test";
    await syncPanelPorts(db, outside());
    expect((await searchEverything(db, "shop.customer-a")).results[0]).toMatchObject({ kind: "tenantos_server", label: "shop.customer-a.test" });
    expect((await searchEverything(db, "web31.customer-a")).results.filter((r) => r.kind === "tenantos_server")).toEqual([]);
  });
});

describe("billing results are finance's and admins' only", async () => {
  const [org] = await db.execute<{ id: number }>(sql`insert into billing_orgs (code, name) values ('acme', 'Acme Hosting') returning id`);
  const [sku] = await db.execute<{ id: number }>(sql`insert into billing_skus (code, name, kind, external_sku_id, unit, unit_price_minor, currency)
    values ('seat', 'Console seat', 'licence', 'mk-seat', 'seat', 1000, 'EUR') returning id`);
  const [licence] = await db.execute<{ id: number }>(sql`insert into billing_licences (sku_id, org_id, seat_count, valid_from)
    values (${sku!.id}, ${org!.id}, 5, now()) returning id`);
  const [invoice] = await db.execute<{ id: number }>(sql`insert into billing_invoices (org_id, period_start, period_end, currency)
    values (${org!.id}, '2026-11-01', '2026-11-30', 'EUR') returning id`);
  const invoiceLabel = `Invoice ${invoice!.id} · Acme Hosting`;
  const kinds = (answer: { results: Array<{ kind: string }> }) => [...new Set(answer.results.map((r) => r.kind))].sort();

  it("finds an invoice by its number as the billing page shows it, and a licence by its number", async () => {
    const finance = callerFor(db, buildFinance());
    for (const form of [`#${invoice!.id}`, `invoice ${invoice!.id}`, `INV-${invoice!.id}`, String(invoice!.id)]) {
      const answer = await finance.addresses.search({ q: form });
      expect(
        answer.results.find((r) => r.kind === "invoice"),
        form,
      ).toMatchObject({
        label: invoiceLabel,
        href: `/it/billing?invoice=${invoice!.id}`,
        detail: "draft · 2026-11-01 – 2026-11-30",
      });
    }
    expect((await finance.addresses.search({ q: `licence ${licence!.id}` })).results).toEqual([
      expect.objectContaining({ kind: "licence", label: `Licence ${licence!.id} · Console seat · Acme Hosting`, detail: "active · 5 seats" }),
    ]);
    // Finance sees no IT kinds (their pages are not finance's), and no address to jump to.
    const named = await finance.addresses.search({ q: "customer-" });
    expect(named.results).toEqual([]);
    expect((await finance.addresses.search({ q: "10.0.60.5" })).redirect).toBeNull();
  });

  it("a viewer's search and the API's never return billing kinds; an admin's returns both", async () => {
    const viewer = callerFor(db, buildViewer());
    for (const q of [`#${invoice!.id}`, `invoice ${invoice!.id}`, String(invoice!.id), `licence ${licence!.id}`, "acme"]) {
      const answer = await viewer.addresses.search({ q });
      expect(
        answer.results.filter((r) => ["invoice", "licence", "organisation"].includes(r.kind)),
        q,
      ).toEqual([]);
    }
    const { secret } = await createApiKey(db, { id: "admin" }, { name: "abuse desk", scopes: ["inventory:read"] });
    const res = await handleSearchApi(
      new Request(`http://x/api/v1/search?q=${encodeURIComponent(`invoice ${invoice!.id}`)}`, { headers: { authorization: `Bearer ${secret}` } }),
      {
        db,
      },
    );
    expect(((await res.json()) as { results: unknown[] }).results).toEqual([]);
    const admin = callerFor(db, buildAdmin());
    expect(kinds(await admin.addresses.search({ q: `#${invoice!.id}` }))).toEqual(["invoice"]);
    expect((await admin.addresses.search({ q: "acme" })).results.find((r) => r.kind === "organisation")?.label).toBe("Acme Hosting");
  });
});
