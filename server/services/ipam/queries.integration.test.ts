import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addressTableSpec } from "@/lib/ipam/address-table";
import { parseTableState } from "@/lib/table/url-state";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { writeAudit } from "../platform/audit";
import { auditTableSpec } from "@/lib/audit/audit-table";
import { AUDIT_CSV_COLUMNS, iterateAuditView, listAuditPage, streamAuditCsv } from "../platform/queries";
import { parse } from "csv-parse/sync";
import { exportCsv } from "./import";
import { createPrefix, createVlan } from "./prefixes";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const viewer = callerFor(db, buildViewer());

// 1,100 addresses in one statement (the app's own table; a loop of createAddress would take minutes).
async function seedAddresses() {
  await createVlan(db, admin, { vid: 30, name: "tables", status: "current" });
  const p = await createPrefix(db, admin, { prefix: "10.30.0.0/20", vid: 30 });
  await db.execute(sql`
    insert into ipam_addresses (address, prefix_id, hostname, vlan_vid, owner_team, status)
    select ('10.30.0.0'::inet + g), ${p.id}, 'host-' || lpad((g % 37)::text, 2, '0'), case when g % 2 = 0 then 30 end,
           case when g % 3 = 0 then 'team-a' when g % 3 = 1 then 'team-b' end,
           (array['planned','active','deprecated','released'])[1 + g % 4]
    from generate_series(1, 1100) g`);
  return p;
}
const prefix = await seedAddresses();

const view = (qs: string) => parseTableState(addressTableSpec, new URLSearchParams(qs)).state;

describe("the address table", () => {
  it("sorts by the header the link names, ties settled by id, with the total of the filtered rows", async () => {
    const page = await viewer.ipam.addressTable(view(`prefix=${prefix.id}&sort=hostname&dir=desc&size=25`));
    expect(page.total).toBe(1100);
    expect(page.rows).toHaveLength(25);
    expect(page.rows.every((r) => r.hostname === "host-36")).toBe(true);
    const ids = page.rows.map((r) => r.id);
    expect(ids).toEqual(ids.toSorted((a, b) => b - a));
  });

  it("sorts addresses as addresses, not as text", async () => {
    const page = await viewer.ipam.addressTable(view(`prefix=${prefix.id}&size=25&page=10`));
    expect(page.rows[0]!.address).toBe("10.30.0.226");
    expect(page.rows.at(-1)!.address).toBe("10.30.0.250");
  });

  it("filters by status, VLAN, owner and search together, and counts what matches", async () => {
    const page = await viewer.ipam.addressTable(view(`q=10.30.1.&status=active&vlan=30&owner=team-a&size=100`));
    // g in 256..511 with g % 4 = 1 (active), g % 2 = 0 (vlan 30): none, both cannot hold.
    expect(page.total).toBe(0);
    const odd = await viewer.ipam.addressTable(view(`q=10.30.1.&status=active&owner=team-b&size=100`));
    const expected = Array.from({ length: 256 }, (_, i) => 256 + i).filter((g) => g % 4 === 1 && g % 3 === 1);
    expect(odd.total).toBe(expected.length);
    expect(odd.rows.map((r) => r.address)).toEqual(expected.map((g) => `10.30.${g >> 8}.${g & 255}`));
  });

  it("pages through all 1,100 rows, each once", async () => {
    const seen = new Set<number>();
    for (let p = 1; p <= 6; p++)
      for (const r of (await viewer.ipam.addressTable(view(`prefix=${prefix.id}&sort=status&size=200&page=${p}`))).rows) seen.add(r.id);
    expect(seen.size).toBe(1100);
  });

  it("exports exactly the filtered view, in its order (one builder for both)", async () => {
    const qs = `prefix=${prefix.id}&status=deprecated&sort=hostname&dir=asc`;
    const shown: string[] = [];
    for (let p = 1; ; p++) {
      const page = await viewer.ipam.addressTable(view(`${qs}&size=100&page=${p}`));
      shown.push(...page.rows.map((r) => r.address));
      if (page.rows.length < 100) break;
    }
    const csv = await exportCsv(db, "ip-addresses", new URLSearchParams(`${qs}&page=3&size=25`));
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("address,status,dns_name,description,cf_vmid,cf_mac,cf_vlan,cf_owner_team,cf_service,cf_source_ref,cf_sankofa_status");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(shown.map((a) => `${a}/20`));
    expect(shown).toHaveLength(275);
  });

  it("refuses to sort by a column outside the whitelist", async () => {
    await expect(viewer.ipam.addressTable({ sort: "created_at" as "address" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("the audit table", () => {
  it("keeps the log's filters' meaning and hides billing figures from viewers", async () => {
    await db.transaction(async (tx) => {
      await writeAudit(tx, { id: "carol@ops.test" }, { action: "switch.update", entityType: "switch", entityId: "sw9", after: { n: 1 } });
      await writeAudit(tx, { id: "carol@ops.test" }, { action: "billing.invoice_issued", entityType: "invoice", entityId: "inv-1", after: { total: 100 } });
      await writeAudit(tx, { id: "dave@ops.test" }, { action: "switch.update", entityType: "switch", entityId: "sw10" });
    });
    const page = await viewer.audit.table({ filters: { actor: "carol@" }, sort: "action", dir: "asc" });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.action)).toEqual(["billing.invoice_issued", "switch.update"]);
    expect(page.rows[0]!.after).toEqual({ redacted: "billing figures: finance and admins only" });
    expect((await viewer.audit.table({ filters: { entity: "switch:sw10" } })).rows.map((r) => r.actor)).toEqual(["dave@ops.test"]);
    expect((await viewer.audit.table({ q: "sw9" })).total).toBe(1);
  });

  it("exports the table's filtered, sorted view, every page, redacted as the reader sees it", async () => {
    const { state } = parseTableState(auditTableSpec, new URLSearchParams("actor=carol%40&sort=action&dir=asc&size=1"));
    const read = async (isBillingHidden: boolean) => {
      let csv = "";
      for await (const chunk of streamAuditCsv(iterateAuditView(db, { ...state, isBillingHidden }))) csv += chunk;
      return parse(csv, { columns: true }) as Array<Record<(typeof AUDIT_CSV_COLUMNS)[number], string>>;
    };
    // The table's pages, one row a page, against the export of the same view.
    const pages = [];
    for (let page = 1; page <= 2; page++) pages.push(...(await listAuditPage(db, { ...state, page, isBillingHidden: true })).rows);
    const asViewer = await read(true);
    expect(asViewer.map((r) => [r.id, r.action, r.at])).toEqual(pages.map((r) => [String(r.id), r.action, r.at.toISOString()]));
    expect(asViewer.map((r) => r.after)).toEqual(['{"redacted":"billing figures: finance and admins only"}', '{"n":1}']);
    expect((await read(false)).map((r) => r.after)).toEqual(['{"total":100}', '{"n":1}']);
  });
});
