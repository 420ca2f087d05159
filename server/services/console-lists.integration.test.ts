// The list queries behind the console's tables (#28 point 1) on real Postgres: each one's whitelisted
// sort, its filters, and a total that counts the filtered rows, not the page.

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/server/testing/database";
import { streamInvoiceRowsCsv, streamInvoicesCsv } from "./billing/csv";
import { iterateInvoiceView, listInvoicePage, listLicencePage, listLicences } from "./billing/queries";
import { listApprovalPage } from "./platform/approvals";
import { EVENT_CSV_COLUMNS, listEventPage, listVmacEventPage, listVmacPage, streamEventCsv } from "./port-security/queries";
import { parse } from "csv-parse/sync";
import { listJobPage } from "./provisioning/queries";
import { listBackupPage, listPushPage, listSwitchOverview, listSwitchPage } from "./switches/queries";

const { db, sql: pg } = await createTestDatabase();

const view = <S extends string>(
  sort: S,
  extra: { dir?: "asc" | "desc"; q?: string; filters?: Record<string, unknown>; page?: number; pageSize?: number } = {},
) => ({
  sort,
  dir: extra.dir ?? ("asc" as const),
  q: extra.q ?? "",
  filters: extra.filters ?? {},
  page: extra.page ?? 1,
  pageSize: extra.pageSize ?? 50,
});

let swA = 0;
let swB = 0;
beforeAll(async () => {
  const ids = await db.execute<{ id: number }>(sql`
    insert into switches (name, host, username, host_key_state, automation_enabled)
    values ('sw-a', '10.0.0.1', 'sankofa', 'approved', true), ('sw-b', '10.0.0.2', 'sankofa', 'mismatch', false), ('sw-c', '10.0.0.3', 'sankofa', 'approved', true)
    returning id`);
  [swA, swB] = ids.map((r) => r.id) as [number, number];
  await db.execute(sql`insert into switch_backup_contents (sha256, sealed, size_bytes) values ('aaaa', '\\x00', 1), ('bbbb', '\\x00', 1)`);
  // 30 pushes and 12 backups on sw-a, one of each on sw-b.
  await db.execute(sql`
    insert into switch_pushes (change_id, switch_id, trigger, status, started_at, ports)
    select 'chg-a-' || g, ${swA}, case when g % 2 = 0 then 'event' else 'manual' end,
      case when g % 3 = 0 then 'failed' else 'committed' end, timestamptz '2026-12-01 00:00Z' + g * interval '1 hour', array['ge-0/0/' || g]
    from generate_series(1, 30) g`);
  await db.execute(sql`insert into switch_pushes (change_id, switch_id, trigger, status, started_at) values ('chg-b-1', ${swB}, 'manual', 'failed', now())`);
  await db.execute(sql`
    insert into switch_backups (switch_id, taken_at, reason, change_id, sha256, is_manual_change)
    select ${swA}, timestamptz '2026-12-01 00:00Z' + g * interval '1 hour', (array['pre-change','post-change','scheduled'])[g % 3 + 1], 'chg-a-' || g,
      case when g % 2 = 0 then 'aaaa' else 'bbbb' end, g = 5
    from generate_series(1, 12) g`);
  await db.execute(sql`insert into switch_backups (switch_id, reason, sha256) values (${swB}, 'scheduled', 'aaaa')`);
  await db.execute(sql`insert into switch_dirty_ports (switch_id, interface) values (${swB}, 'ge-0/0/1'), (${swB}, 'ge-0/0/2')`);
  await db.execute(sql`insert into switch_drift_reports (switch_id, ports, error) values (${swA}, '[]', null), (${swB}, '[{"port":"ge-0/0/1"}]', null)`);
});

describe("switches list", () => {
  it("shows the same last backup, last push, drift and dirty ports as the switches overview", async () => {
    const page = await listSwitchPage(db, view("name"));
    const overview = await listSwitchOverview(db);
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.name)).toEqual(overview.map((r) => r.name));
    for (const row of page.rows) {
      const o = overview.find((x) => x.id === row.id)!;
      expect(row.lastBackupAt?.getTime() ?? null).toBe(o.lastBackupAt?.getTime() ?? null);
      expect(row.lastPush?.status ?? null).toBe(o.lastPush?.status ?? null);
      expect(row.dirtyPorts).toBe(o.dirtyPorts);
      expect(row.drift?.driftPorts ?? null).toBe(o.drift?.driftPorts ?? null);
    }
  });

  it("sorts by a computed column and filters by host key, automation, last push and drift", async () => {
    expect((await listSwitchPage(db, view("dirty", { dir: "desc" }))).rows[0]!.name).toBe("sw-b");
    expect((await listSwitchPage(db, view("lastPush", { dir: "desc" }))).rows.map((r) => r.name)).toEqual(["sw-c", "sw-b", "sw-a"]);
    const mismatch = await listSwitchPage(db, view("name", { filters: { hostKey: "mismatch" } }));
    expect(mismatch).toMatchObject({ total: 1, rows: [{ name: "sw-b" }] });
    expect((await listSwitchPage(db, view("name", { filters: { automation: "on" } }))).total).toBe(2);
    // sw-a's newest push (g = 30) failed; sw-b's only push failed.
    expect((await listSwitchPage(db, view("name", { filters: { lastPush: "failed" } }))).rows.map((r) => r.name)).toEqual(["sw-a", "sw-b"]);
    expect((await listSwitchPage(db, view("name", { filters: { drift: "differs" } }))).rows.map((r) => r.name)).toEqual(["sw-b"]);
    expect((await listSwitchPage(db, view("name", { filters: { drift: "in-sync" } }))).rows.map((r) => r.name)).toEqual(["sw-a"]);
    expect((await listSwitchPage(db, view("name", { filters: { drift: "unchecked" } }))).rows.map((r) => r.name)).toEqual(["sw-c"]);
    expect((await listSwitchPage(db, view("name", { q: "10.0.0.3" }))).rows.map((r) => r.name)).toEqual(["sw-c"]);
  });
});

describe("a switch's pushes and backups", () => {
  it("pages one switch's pushes with the total of its filtered pushes", async () => {
    const first = await listPushPage(db, swA, view("started", { dir: "desc", pageSize: 10 }));
    expect(first.total).toBe(30);
    expect(first.rows).toHaveLength(10);
    expect(first.rows[0]!.changeId).toBe("chg-a-30");
    expect(first.rows[0]!.ports).toEqual(["ge-0/0/30"]);
    const failed = await listPushPage(db, swA, view("started", { filters: { status: "failed" }, pageSize: 25 }));
    expect(failed.total).toBe(10);
    expect(failed.rows.every((r) => r.status === "failed")).toBe(true);
    const between = await listPushPage(db, swA, view("started", { filters: { from: new Date("2026-12-01T05:00Z"), to: new Date("2026-12-01T09:00Z") } }));
    expect(between.rows.map((r) => r.changeId)).toEqual(["chg-a-5", "chg-a-6", "chg-a-7", "chg-a-8", "chg-a-9"]);
    expect((await listPushPage(db, swA, view("started", { q: "ge-0/0/17" }))).rows.map((r) => r.changeId)).toEqual(["chg-a-17"]);
    expect((await listPushPage(db, swB, view("started"))).total).toBe(1);
  });

  it("pages and filters one switch's backups", async () => {
    const all = await listBackupPage(db, swA, view("taken", { dir: "desc", pageSize: 10, page: 2 }));
    expect(all.total).toBe(12);
    expect(all.rows.map((r) => r.changeId)).toEqual(["chg-a-2", "chg-a-1"]);
    expect((await listBackupPage(db, swA, view("taken", { filters: { manual: "yes" } }))).rows.map((r) => r.changeId)).toEqual(["chg-a-5"]);
    expect((await listBackupPage(db, swA, view("taken", { filters: { reason: "scheduled" } }))).total).toBe(4);
    const byReason = await listBackupPage(db, swA, view("reason", { pageSize: 25 }));
    expect(byReason.rows.map((r) => r.reason)).toEqual(byReason.rows.map((r) => r.reason).toSorted());
  });
});

describe("port-security events", () => {
  it("exports the table's filtered, sorted view, every page, in the table's order", async () => {
    await db.execute(sql`
      insert into port_security_events (received_at, action, server_id, ip, dedupe_key, status, skip_reason, switch_id, interface)
      select timestamptz '2026-12-01 00:00Z' + (g % 7) * interval '1 minute', 'ip_assigned', 300 + g % 3, '10.0.8.' || g, 'csv|' || g,
        case when g % 4 = 0 then 'skipped' else 'done' end, case when g % 4 = 0 then 'no port, "quoted"' end, ${swA}, 'ge-0/0/' || g
      from generate_series(1, 60) g`);
    const v = view("received", { dir: "desc" as const, filters: { server: 301 }, pageSize: 7 });
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(...(await listEventPage(db, { ...v, page })).rows);
    let csv = "";
    for await (const chunk of streamEventCsv(db, v)) csv += chunk;
    const rows = parse(csv, { columns: true }) as Array<Record<(typeof EVENT_CSV_COLUMNS)[number], string>>;
    expect(rows.map((r) => Number(r.id))).toEqual(pages.map((e) => e.id));
    expect(rows).toHaveLength(20);
    expect(rows.find((r) => r.status === "skipped")?.skip_reason).toBe('no port, "quoted"');
  });
});

describe("virtual MACs", () => {
  beforeAll(async () => {
    await db.execute(sql`
      insert into vmacs (ip, mac, server_id, created_at, released_at)
      select '10.0.9.' || g, '02:00:0a:00:09:' || lpad(to_hex(g), 2, '0'), 100 + g % 4, timestamptz '2026-12-01 00:00Z' + g * interval '1 minute',
        case when g % 5 = 0 then timestamptz '2026-12-02 00:00Z' end
      from generate_series(1, 40) g`);
    await db.execute(sql`
      insert into vmac_events (at, kind, ip, mac, server_id, actor)
      select timestamptz '2026-12-01 00:00Z' + g * interval '1 minute', case when g % 5 = 0 then 'released' else 'created' end, '10.0.9.' || g, 'x', 100 + g % 4, 'admin@example.org'
      from generate_series(1, 40) g`);
  });

  it("lists the active ones unless asked otherwise, with their total", async () => {
    expect((await listVmacPage(db, view("created"))).total).toBe(32);
    expect((await listVmacPage(db, view("created", { filters: { state: "released" } }))).total).toBe(8);
    expect((await listVmacPage(db, view("created", { filters: { state: "all" } }))).total).toBe(40);
    const server = await listVmacPage(db, view("ip", { filters: { server: 101 } }));
    expect(server.rows.every((r) => r.serverId === 101 && r.releasedAt === null)).toBe(true);
    expect((await listVmacPage(db, view("created", { q: "10.0.9.3" }))).rows.map((r) => r.ip).toSorted()).toEqual([
      "10.0.9.3",
      "10.0.9.31",
      "10.0.9.32",
      "10.0.9.33",
      "10.0.9.34",
      "10.0.9.36",
      "10.0.9.37",
      "10.0.9.38",
      "10.0.9.39",
    ]);
    expect((await listVmacPage(db, view("created", { dir: "desc", pageSize: 25 }))).rows[0]!.ip).toBe("10.0.9.39");
  });

  it("pages the events log with its filters", async () => {
    const released = await listVmacEventPage(db, view("at", { filters: { kind: "released" }, pageSize: 25 }));
    expect(released.total).toBe(8);
    expect(released.rows.every((r) => r.kind === "released")).toBe(true);
    expect((await listVmacEventPage(db, view("at", { dir: "desc", pageSize: 10 }))).rows[0]!.ip).toBe("10.0.9.40");
  });
});

describe("approvals and provisioning jobs", () => {
  beforeAll(async () => {
    await db.execute(sql`
      insert into pending_changes (kind, payload, summary, requested_by, requested_at, status, ticket_id)
      select case when g % 2 = 0 then 'settings' else 'vmac_release' end, '{}', 'change ' || g, case when g % 3 = 0 then 'ana@example.org' else 'bo@example.org' end,
        timestamptz '2026-12-01 00:00Z' + g * interval '1 hour', case when g % 4 = 0 then 'rejected' else 'applied' end, 'T-' || g
      from generate_series(1, 30) g`);
    await db.execute(sql`
      insert into provisioning_jobs (kind, payload, status, ticket_id, plan, node, vmid, requested_by, requested_at)
      select case when g % 2 = 0 then 'power_reboot' else 'resize_disk' end, '{}', case when g % 3 = 0 then 'failed' else 'succeeded' end, 'OPS-' || g,
        jsonb_build_object('summary', 'job ' || g, 'calls', jsonb_build_array(1, 2)), case when g % 2 = 0 then 'pve1' else 'pve2' end, 100 + g, 'admin@example.org',
        timestamptz '2026-12-01 00:00Z' + g * interval '1 hour'
      from generate_series(1, 30) g`);
  });

  it("pages the approvals queue, filtered by status, kind, who and when", async () => {
    const page = await listApprovalPage(db, view("id", { dir: "desc", pageSize: 25 }));
    expect(page.total).toBe(30);
    expect(page.rows).toHaveLength(25);
    expect(page.rows[0]!.summary).toBe("change 30");
    expect((await listApprovalPage(db, view("id", { filters: { status: "rejected" } }))).total).toBe(7);
    expect((await listApprovalPage(db, view("id", { filters: { kind: "settings", by: "ana@" } }))).total).toBe(5);
    expect((await listApprovalPage(db, view("asked", { filters: { from: new Date("2026-12-01T23:00Z") } }))).total).toBe(8);
    expect((await listApprovalPage(db, view("id", { q: "T-17" }))).rows.map((r) => r.summary)).toEqual(["change 17"]);
  });

  it("pages the provisioning queue, filtered by status, kind, node and VMID", async () => {
    const page = await listJobPage(db, view("id", { dir: "desc", pageSize: 10 }));
    expect(page.total).toBe(30);
    expect(page.rows[0]).toMatchObject({ summary: "job 30", callCount: 2, node: "pve1", vmid: 130 });
    expect((await listJobPage(db, view("id", { filters: { status: "failed" } }))).total).toBe(10);
    expect((await listJobPage(db, view("id", { filters: { kind: "power_reboot", node: "pve1" } }))).total).toBe(15);
    expect((await listJobPage(db, view("id", { q: "117" }))).rows.map((r) => r.summary)).toEqual(["job 17"]);
    const byNode = await listJobPage(db, view("node", { pageSize: 25 }));
    expect(byNode.rows.slice(0, 15).every((r) => r.node === "pve1")).toBe(true);
  });
});

describe("the billing page's invoices", () => {
  const readAll = async (chunks: AsyncGenerator<string>) => {
    let out = "";
    for await (const c of chunks) out += c;
    return out;
  };

  beforeAll(async () => {
    await db.execute(sql`insert into billing_orgs (code, name) select 'org-' || lpad(g::text, 2, '0'), 'Org ' || g from generate_series(1, 12) g`);
    await db.execute(sql`
      insert into billing_invoices (org_id, period_start, period_end, currency, status, total_minor, issued_at, payment_failed_at)
      select o.id, '2026-11-01', '2026-11-30', case when o.id % 2 = 0 then 'EUR' else 'USD' end,
        (array['draft','issued','paid','void'])[o.id % 4 + 1], 1000 * o.id,
        case when o.id % 4 in (1, 2) then timestamptz '2026-12-01 00:00Z' + o.id * interval '1 minute' end,
        case when o.id = 5 then now() end
      from billing_orgs o`);
    // Another month's invoice: never in November's table or CSV.
    await db.execute(
      sql`insert into billing_invoices (org_id, period_start, period_end, currency, status, total_minor) select id, '2026-10-01', '2026-10-31', 'EUR', 'draft', 1 from billing_orgs where code = 'org-01'`,
    );
  });

  const base = { sort: "org" as const, dir: "asc" as const, q: "", filters: {} };

  it("pages the month's invoices, sorted and filtered, with their total", async () => {
    const page = await listInvoicePage(db, "2026-11-01", { ...base, page: 2, pageSize: 5 });
    expect(page.total).toBe(12);
    expect(page.rows.map((r) => r.orgCode)).toEqual(["org-06", "org-07", "org-08", "org-09", "org-10"]);
    const issued = await listInvoicePage(db, "2026-11-01", { ...base, filters: { status: "issued" }, page: 1, pageSize: 50 });
    expect(issued.rows.map((r) => r.orgCode)).toEqual(["org-01", "org-05", "org-09"]);
    expect((await listInvoicePage(db, "2026-11-01", { ...base, filters: { payment: "failed" }, page: 1, pageSize: 50 })).rows.map((r) => r.orgCode)).toEqual([
      "org-05",
    ]);
    expect((await listInvoicePage(db, "2026-11-01", { ...base, filters: { currency: "eur" }, page: 1, pageSize: 50 })).total).toBe(6);
    const byTotal = await listInvoicePage(db, "2026-11-01", { ...base, sort: "total", dir: "desc", page: 1, pageSize: 3 });
    expect(byTotal.rows.map((r) => r.orgCode)).toEqual(["org-11", "org-09", "org-07"]);
  });

  it("exports the unfiltered view exactly as the month's invoices CSV, and a filtered view as the table shows it", async () => {
    const table = await readAll(streamInvoiceRowsCsv(iterateInvoiceView(db, "2026-11-01", base)));
    expect(table).toBe(await readAll(streamInvoicesCsv(pg, "2026-11-01")));
    const eur = await readAll(
      streamInvoiceRowsCsv(iterateInvoiceView(db, "2026-11-01", { ...base, sort: "total", dir: "desc", filters: { currency: "EUR" } })),
    );
    const shown = await listInvoicePage(db, "2026-11-01", { ...base, sort: "total", dir: "desc", filters: { currency: "EUR" }, page: 1, pageSize: 50 });
    const ids = eur
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => Number(line.split(",")[1]));
    expect(ids).toEqual(shown.rows.map((r) => r.id));
  });
});

describe("the licences table", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  beforeAll(async () => {
    // Orgs org-01..org-12 exist (the invoices block above).
    await db.execute(
      sql`insert into billing_skus (code, name, kind, external_sku_id, unit, unit_price_minor, currency) values ('lic-a', 'Licence A', 'licence', 'ext-a', 'seat', 100, 'EUR'), ('lic-b', 'Licence B', 'licence', 'ext-b', 'seat', 200, 'EUR')`,
    );
    await db.execute(sql`
      insert into billing_licences (sku_id, org_id, project, seat_count, valid_from, valid_to, status, external_ref)
      select (select id from billing_skus where code = case when g % 2 = 0 then 'lic-a' else 'lic-b' end), (select id from billing_orgs where code = 'org-' || lpad((g % 3 + 1)::text, 2, '0')),
        'proj-' || g, 1, timestamptz '2026-01-01 00:00Z',
        case when g % 4 = 0 then timestamptz '2026-12-20 00:00Z' when g % 4 = 1 then timestamptz '2027-06-01 00:00Z' end,
        case when g = 7 then 'revoked' else 'active' end, case when g % 5 = 0 then 'si_' || g end
      from generate_series(1, 20) g`);
    // Two holders on licence proj-3 (1 seat): over-used.
    await db.execute(
      sql`insert into billing_seat_assignments (licence_id, holder) select id, h from billing_licences, unnest(array['ana@example.org', 'bo@example.org']) h where project = 'proj-3'`,
    );
  });
  const base = { sort: "org" as const, dir: "asc" as const, q: "", filters: {}, page: 1, pageSize: 50 };

  it("pages every org's licences, sorted and filtered, with the total", async () => {
    const page = await listLicencePage(db, { ...base, pageSize: 5 }, now);
    expect(page.total).toBe(20);
    expect(page.rows.map((r) => r.orgCode)).toEqual(["org-01", "org-01", "org-01", "org-01", "org-01"]);
    expect((await listLicencePage(db, { ...base, filters: { status: "revoked" } }, now)).rows.map((r) => r.project)).toEqual(["proj-7"]);
    expect((await listLicencePage(db, { ...base, filters: { source: "stripe" } }, now)).total).toBe(4);
    expect(
      (await listLicencePage(db, { ...base, filters: { sku: "lic-a", org: "org-02" } }, now)).rows.every(
        (r) => r.skuCode === "lic-a" && r.orgCode === "org-02",
      ),
    ).toBe(true);
    expect((await listLicencePage(db, { ...base, q: "bo@example" }, now)).rows.map((r) => r.project)).toEqual(["proj-3"]);
  });

  it("flags in SQL exactly the licences the page's own rules flag (isOverUsed, isExpiringSoon)", async () => {
    const all = await listLicences(db, now);
    const over = await listLicencePage(db, { ...base, filters: { flag: "over-used" } }, now);
    const expiring = await listLicencePage(db, { ...base, filters: { flag: "expiring" } }, now);
    expect(over.rows.map((r) => r.id).toSorted()).toEqual(
      all
        .filter((l) => l.isOverUsed)
        .map((l) => l.id)
        .toSorted(),
    );
    expect(expiring.rows.map((r) => r.id).toSorted()).toEqual(
      all
        .filter((l) => l.isExpiringSoon)
        .map((l) => l.id)
        .toSorted(),
    );
    expect(expiring.total).toBeGreaterThan(0);
    expect(over.total).toBe(1);
  });
});
