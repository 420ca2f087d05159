import { parse } from "csv-parse/sync";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, billingInvoiceLines, billingUsageCorrections, billingUsageRuns, billingUsageSamples } from "@/drizzle/schema";
import { startLabProxmox, type LabProxmox, type LabProxmoxWorld } from "@/lab/proxmox";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTestDatabase } from "@/server/testing/database";
import { parsedCronItems } from "@/workers/crontab";
import { createCollectUsageTask } from "@/workers/tasks/collect-usage";
import { createAddress } from "../ipam/addresses";
import { createPrefix } from "../ipam/prefixes";
import { bindObjectToOrg, createOrg, createSku } from "./catalogue";
import { streamInvoiceLinesCsv, streamInvoicesCsv, streamUsageCsv } from "./csv";
import { handleBillingExport } from "./export";
import { createCreditNote, draftInvoices, issueInvoice } from "./invoices";
import { createLicence } from "./licences";
import { getInvoice } from "./queries";
import { collectUsageDay, findUsageGaps, requestUsageRecollect } from "./usage";

const { db, sql: pg } = await createTestDatabase();
const finance = { id: "finance@test.sankofa" };
const GIB = 2 ** 30;
const world: LabProxmoxWorld = {
  nodes: [{ node: "pve-a", maxcpu: 32, maxmem: 128 * GIB, maxdisk: 2e12 }],
  guests: [
    {
      vmid: 101,
      name: "web-1",
      node: "pve-a",
      type: "qemu",
      status: "running",
      maxcpu: 4,
      maxmem: 8 * GIB,
      config: { scsi0: "local-lvm:vm-101-disk-0,size=32G" },
    },
    {
      vmid: 102,
      name: "db-1",
      node: "pve-a",
      type: "qemu",
      status: "stopped",
      maxcpu: 2,
      maxmem: 4 * GIB,
      config: { virtio0: "local-lvm:vm-102-disk-0,size=10G" },
    },
  ],
};
let pve: LabProxmox;
// The hypervisor's clock (its RRD history ends there): 01:20 UTC after the day collected, as the nightly run sees it.
const clock = { now: new Date("2026-11-03T01:20:00Z") };
const deps = () => ({
  proxmox: createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 2_000 }),
  bandwidthMode: "higher" as const,
});
let orgId: number;

beforeAll(async () => {
  pve = await startLabProxmox({ world, now: () => clock.now });
  const org = await createOrg(db, finance, { code: "kumasi-web", name: 'Kumasi "Web", Ltd' });
  orgId = org.id;
  await bindObjectToOrg(db, finance, { object: "vmid:101", orgId });
  await bindObjectToOrg(db, finance, { object: "vmid:102", orgId });
  await createPrefix(db, finance, { prefix: "185.44.10.0/24" });
  await createAddress(db, finance, { address: "185.44.10.5", vmid: 101 });
  await createAddress(db, finance, { address: "185.44.10.6", vmid: 101 });
  const infra = { kind: "infra" as const, currency: "EUR" };
  await createSku(db, finance, {
    ...infra,
    code: "cpu-hour",
    name: "vCPU",
    externalSkuId: "mkt-cpu",
    unit: "vCPU-hour",
    unitPriceMinor: 2,
    meter: "cpu_hours",
  });
  await createSku(db, finance, {
    ...infra,
    code: "ram-gb-hour",
    name: "RAM",
    externalSkuId: "mkt-ram",
    unit: "GB-hour",
    unitPriceMinor: 1,
    meter: "ram_gb_hours",
  });
  await createSku(db, finance, {
    ...infra,
    code: "disk-gb-day",
    name: "Storage",
    externalSkuId: "mkt-disk",
    unit: "GB-day",
    unitPriceMinor: 3,
    meter: "storage_gb_days",
  });
  await createSku(db, finance, {
    ...infra,
    code: "ipv4",
    name: "Public IPv4",
    externalSkuId: "mkt-ipv4",
    unit: "IP-day",
    unitPriceMinor: 7,
    meter: "ipv4_count",
  });
  const win = await createSku(db, finance, {
    kind: "licence",
    currency: "EUR",
    code: "win-dc",
    name: "=Windows DC",
    externalSkuId: "mkt-win-dc",
    unit: "seat-month",
    unitPriceMinor: 2350,
  });
  await createLicence(db, finance, { skuId: win.id, orgId, seatCount: 2, validFrom: new Date("2026-10-01T00:00:00Z") });
});
afterAll(() => pve.close());

const samplesOf = (day: string) => db.select().from(billingUsageSamples).where(eq(billingUsageSamples.period, day));
async function readAll(chunks: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

describe("usage metering", () => {
  it("records a day per VM from Proxmox and IPAM, owned by the bound org, and says Tenantos was not read", async () => {
    const results = await collectUsageDay(db, finance, "2026-11-01", deps());
    expect(results.map((r) => [r.source, r.status])).toEqual([
      ["proxmox", "ok"],
      ["ipam", "ok"],
      ["tenantos", "failed"],
    ]);
    const rows = await samplesOf("2026-11-01");
    const q = (object: string, meter: string) => rows.find((r) => r.object === object && r.meter === meter)?.quantityMilli;
    expect(q("vmid:101", "cpu_hours")).toBe(96_000);
    expect(q("vmid:101", "ram_gb_hours")).toBe(192_000);
    expect(q("vmid:102", "cpu_hours")).toBe(0); // stopped
    expect(q("vmid:102", "storage_gb_days")).toBe(10_000);
    expect(q("vmid:101", "ipv4_count")).toBe(2_000);
    expect(rows.every((r) => r.orgId === orgId && r.collectedAt instanceof Date)).toBe(true);
  });

  it("replaces a day on a re-run (never adds), counts the run and audits it", async () => {
    world.guests[0]!.maxcpu = 8;
    await collectUsageDay(db, finance, "2026-11-01", deps());
    const rows = await samplesOf("2026-11-01");
    expect(rows.filter((r) => r.object === "vmid:101" && r.meter === "cpu_hours").map((r) => r.quantityMilli)).toEqual([192_000]);
    expect(rows).toHaveLength(2 * 3 + 1);
    const [run] = await db
      .select()
      .from(billingUsageRuns)
      .where(and(eq(billingUsageRuns.day, "2026-11-01"), eq(billingUsageRuns.source, "proxmox")));
    expect(run).toMatchObject({ runs: 2, status: "ok" });
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "billing.usage.recollect"), eq(auditLog.entityId, "2026-11-01:proxmox"))),
    ).toHaveLength(1);
  });

  it("shows days with no figures as missing, and a failed source's day as failed, not zero", async () => {
    pve.setDown(true);
    const results = await collectUsageDay(db, finance, "2026-11-02", deps());
    pve.setDown(false);
    expect(results.find((r) => r.source === "proxmox")).toMatchObject({ status: "failed" });
    expect((await samplesOf("2026-11-02")).filter((r) => r.source === "proxmox")).toHaveLength(0);
    const gaps = await findUsageGaps(db, "2026-11-01", "2026-11-03");
    expect(gaps.find((g) => g.source === "proxmox")).toMatchObject({ missingDays: ["2026-11-02", "2026-11-03"], failures: [{ day: "2026-11-02" }] });
    expect(gaps.find((g) => g.source === "ipam")!.missingDays).toEqual(["2026-11-03"]);
  });
});

describe("vCPU and RAM hours from Proxmox's RRD history", () => {
  const day = "2026-12-05";
  const at = (hhmm: string) => `${day}T${hhmm}:00Z`;
  const hoursOf = async (object: string, meter: string) =>
    (await samplesOf(day)).find((r) => r.object === object && r.meter === meter && r.source === "proxmox")?.quantityMilli;

  it("bills the hours each guest ran that day, not the state it was in at collection", async () => {
    // 101 (8 vCPU by now) was stopped from 06:00 to 12:00; 102 is stopped now but ran until 12:00.
    world.guests[0]!.history = [{ from: at("06:00"), to: at("12:00"), status: "stopped" }];
    world.guests[1]!.history = [{ from: `${day}T00:00:00Z`, to: at("12:00"), status: "running" }];
    clock.now = new Date("2026-12-06T01:20:00Z");
    try {
      await collectUsageDay(db, finance, day, deps());
      expect(await hoursOf("vmid:101", "cpu_hours")).toBe(18 * 8 * 1000);
      expect(await hoursOf("vmid:101", "ram_gb_hours")).toBe(18 * 8 * 1000);
      expect(await hoursOf("vmid:102", "cpu_hours")).toBe(12 * 2 * 1000);
      expect(await hoursOf("vmid:102", "ram_gb_hours")).toBe(12 * 4 * 1000);

      // A PVE 9 node's `day` is 24 h at 1 min, ending at 01:20: the day needs `week` (30 min), same figures.
      const pve9 = await startLabProxmox({ world, now: () => clock.now, rrdSchema: "pve9" });
      try {
        const proxmox = createProxmoxClient({ baseUrl: pve9.url, tokenId: pve9.tokenId, tokenSecret: pve9.tokenSecret, timeoutMs: 2_000 });
        await collectUsageDay(db, finance, day, { proxmox, bandwidthMode: "higher" });
        expect(await hoursOf("vmid:101", "cpu_hours")).toBe(18 * 8 * 1000);
        expect(await hoursOf("vmid:102", "cpu_hours")).toBe(12 * 2 * 1000);
      } finally {
        await pve9.close();
      }

      // Two months on, no timeframe reaches back to the day: the source fails, naming the guest.
      clock.now = new Date("2027-02-06T01:20:00Z");
      const late = await collectUsageDay(db, finance, day, deps());
      expect(late.find((r) => r.source === "proxmox")).toMatchObject({
        status: "failed",
        error: expect.stringContaining("no RRD history covering 2026-12-05 for qemu 101 on pve-a"),
      });
      expect(await hoursOf("vmid:101", "cpu_hours")).toBe(18 * 8 * 1000); // the figures it had stay
    } finally {
      world.guests[0]!.history = undefined;
      world.guests[1]!.history = undefined;
      clock.now = new Date("2026-11-03T01:20:00Z");
    }
  });
});

describe("the nightly job", () => {
  it("is on the crontab, and a cron run collects the UTC day before its own time", async () => {
    expect(parsedCronItems.find((c) => c.identifier === "collect-usage")).toMatchObject({ task: "collect-usage" });
    const task = createCollectUsageTask({
      db,
      secretsKey: Buffer.alloc(32),
      openJunosSession: undefined as never,
      resolveInventoryProxmox: async () => deps().proxmox,
    });
    const warnings: string[] = [];
    const helpers = { logger: { warn: (m: string) => warnings.push(m) } } as unknown as Parameters<typeof task>[1];
    clock.now = new Date("2026-10-16T01:20:00Z");
    await task({ _cron: { ts: "2026-10-16T01:20:00.000Z" } }, helpers);
    clock.now = new Date("2026-11-03T01:20:00Z");
    const [run] = await db
      .select()
      .from(billingUsageRuns)
      .where(and(eq(billingUsageRuns.day, "2026-10-15"), eq(billingUsageRuns.source, "proxmox")));
    expect(run).toMatchObject({ status: "ok", runs: 1 });
    expect(warnings).toEqual([expect.stringContaining("usage 2026-10-15 tenantos: Tenantos is not configured")]);
  });
});

describe("invoices and CSV", () => {
  it("drafts usage × price plus licences in minor units, re-drafts in place, and leaves an issued one alone", async () => {
    const first = await draftInvoices(db, finance, { periodStart: "2026-11-01", periodEnd: "2026-11-30", bandwidthMode: "higher" });
    expect(first.drafted).toHaveLength(1);
    const inv = (await getInvoice(db, first.drafted[0]!.invoiceId))!;
    // Nov 1: cpu 192 h × 2 + ram (8 GiB × 24 h = 192 GB-h) × 1 + disk (32 + 10) GB-days × 3; IPAM on Nov 1
    // and 2 (Proxmox failed on the 2nd: nothing counted for it): 2 IPs × 2 days × 7; licence: 2 seats × 2350.
    const expected = 192 * 2 + 192 * 1 + 42 * 3 + 2 * 2 * 7 + 2 * 2350;
    expect(inv.invoice).toMatchObject({ status: "draft", currency: "EUR", totalMinor: expected });
    expect(inv.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(expected);
    expect(first.gaps.find((g) => g.source === "proxmox")!.missingDays).toContain("2026-11-02");

    const again = await draftInvoices(db, finance, { periodStart: "2026-11-01", periodEnd: "2026-11-30", bandwidthMode: "higher" });
    expect(again.drafted[0]!.invoiceId).toBe(inv.invoice.id);
    expect(await db.select().from(billingInvoiceLines).where(eq(billingInvoiceLines.invoiceId, inv.invoice.id))).toHaveLength(inv.lines.length);

    await issueInvoice(db, finance, inv.invoice.id);
    const after = await draftInvoices(db, finance, { periodStart: "2026-11-01", periodEnd: "2026-11-30", bandwidthMode: "higher" });
    expect(after).toMatchObject({ drafted: [], skippedIssued: [{ invoiceId: inv.invoice.id }] });
    // The database refuses too: an issued invoice's lines and total are frozen.
    await expect(
      db.insert(billingInvoiceLines).values({ invoiceId: inv.invoice.id, position: 99, description: "x", quantityMilli: 1, unitPriceMinor: 1, amountMinor: 0 }),
    ).rejects.toThrow();
    await expect(db.execute(sql`update billing_invoices set total_minor = 1 where id = ${inv.invoice.id}`)).rejects.toThrow();
    const credit = await createCreditNote(db, finance, { invoiceId: inv.invoice.id, amountMinor: 500, reason: "outage 2026-11-02" });
    expect(credit).toMatchObject({ correctsInvoiceId: inv.invoice.id, totalMinor: -500, status: "draft" });
  });

  it("exports an invoice's lines as CSV that imports back to the same total, escaped and UTF-8", async () => {
    const [{ id }] = (await db.execute<{ id: number }>(sql`select id from billing_invoices where status = 'issued' limit 1`)) as unknown as [{ id: number }];
    const inv = (await getInvoice(db, id))!;
    const text = await readAll(streamInvoiceLinesCsv(pg, id));
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(inv.lines.length);
    expect(rows.reduce((s, r) => s + Number(r.amount_minor), 0)).toBe(inv.invoice.totalMinor);
    expect(rows.every((r) => r.schema_version === "billing-invoice-lines/2" && r.currency === "EUR" && r.period_start_utc === "2026-11-01")).toBe(true);
    // A SKU named "=Windows DC" reaches the CSV as text, not a formula.
    expect(rows.some((r) => r.description!.startsWith("'=Windows DC"))).toBe(true);
    for (const r of rows) expect(Number(r.amount_minor)).toBe(Math.round((Number(r.quantity_milli) * Number(r.unit_price_minor)) / 1000));

    const all = parse(await readAll(streamInvoicesCsv(pg, "2026-11-01")), { columns: true }) as Array<Record<string, string>>;
    expect(all.map((r) => [r.status, Number(r.total_minor)])).toEqual([
      ["issued", inv.invoice.totalMinor],
      ["draft", -500],
    ]);
    expect(all[0]!.org_name).toBe('Kumasi "Web", Ltd');
    expect(all[0]!.issued_at_utc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("exports a period's usage that sums back to the stored figures, per meter", async () => {
    const text = await readAll(streamUsageCsv(pg, { from: "2026-11-01", to: "2026-11-30" }));
    expect(text.startsWith("schema_version,day_utc,source,object,meter,org_code,node,quantity_milli,collected_at_utc\r\n")).toBe(true);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    const stored = await db.execute<{ meter: string; total: string }>(
      sql`select meter, sum(quantity_milli)::text as total from billing_usage_samples where period between '2026-11-01' and '2026-11-30' group by meter`,
    );
    for (const s of stored) expect(rows.filter((r) => r.meter === s.meter).reduce((a, r) => a + Number(r.quantity_milli), 0)).toBe(Number(s.total));
    expect(() => streamUsageCsv(pg, { from: "2026-13-01", to: "2026-11-30" })).toThrow("from");
  });

  it("answers a download as a UTF-8 CSV attachment, and names a bad parameter before reading anything", async () => {
    const res = handleBillingExport(pg, "usage", new URLSearchParams({ from: "2026-11-01", to: "2026-11-01" }))!;
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="sankofa-usage-2026-11-01-2026-11-01.csv"');
    const rows = parse(await res.text(), { columns: true }) as unknown[];
    expect(rows).toHaveLength((await samplesOf("2026-11-01")).length);
    expect(() => handleBillingExport(pg, "usage", new URLSearchParams({ from: "2026-11-01" }))).toThrow("to is missing");
    expect(() => handleBillingExport(pg, "invoice", new URLSearchParams({ id: "x" }))).toThrow("not an invoice number");
    expect(handleBillingExport(pg, "payroll", new URLSearchParams())).toBeUndefined();
  });

  it("keeps a billed day as billed: a re-collection records a correction with both figures, and a re-run request is refused", async () => {
    // 2026-11-01 is on the invoice issued above; since then the guest grew and got a third address.
    world.guests[0]!.maxcpu = 16;
    await createAddress(db, finance, { address: "185.44.10.7", vmid: 101 });
    const before = await samplesOf("2026-11-01");
    await collectUsageDay(db, finance, "2026-11-01", deps());
    expect(await samplesOf("2026-11-01")).toEqual(before);
    const corrections = await db.select().from(billingUsageCorrections).where(eq(billingUsageCorrections.day, "2026-11-01"));
    expect(corrections.map((c) => [c.source, c.object, c.meter, c.recordedMilli, c.recollectedMilli]).sort()).toEqual([
      ["ipam", "vmid:101", "ipv4_count", 2_000, 3_000],
      ["proxmox", "vmid:101", "cpu_hours", 192_000, 384_000],
    ]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "billing.usage.correction"))).toHaveLength(2);
    await expect(requestUsageRecollect(db, finance, "2026-11-01", new Date("2026-12-01T00:00:00Z"))).rejects.toThrow(/issued invoice/);
  });

  it("never rewrites a past day's IPAM figures with today's addresses, even before it is billed", async () => {
    const day = "2026-12-05";
    const ipamBefore = (await samplesOf(day)).filter((r) => r.source === "ipam");
    expect(ipamBefore.length).toBeGreaterThan(0);
    await createAddress(db, finance, { address: "185.44.10.8", vmid: 102 });
    clock.now = new Date("2026-12-06T01:20:00Z");
    try {
      await collectUsageDay(db, finance, day, deps());
    } finally {
      clock.now = new Date("2026-11-03T01:20:00Z");
    }
    expect((await samplesOf(day)).filter((r) => r.source === "ipam")).toEqual(ipamBefore);
    const corrections = await db.select().from(billingUsageCorrections).where(eq(billingUsageCorrections.day, day));
    expect(corrections.map((c) => [c.object, c.recordedMilli, c.recollectedMilli])).toContainEqual(["vmid:102", null, 1_000]);
  });
});
