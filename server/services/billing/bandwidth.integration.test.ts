import { and, asc, eq, gte, lt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingBandwidthSamples, billingUsageRuns, billingUsageSamples } from "@/drizzle/schema";
import { labDedicatedServer, startLabTenantos, type LabTenantos, type LabTrafficUnit } from "@/lab/tenantos";
import { BANDWIDTH_MODES, computeBandwidthP95 } from "@/lib/billing/percentile";
import { createTenantosClient } from "@/server/connectors/tenantos/client";
import { createTestDatabase } from "@/server/testing/database";
import { createCollectUsageTask } from "@/workers/tasks/collect-usage";
import { bindObjectToOrg, createOrg, createSku } from "./catalogue";
import { draftInvoices } from "./invoices";
import { getInvoice } from "./queries";
import { collectUsageDay, findUsageGaps } from "./usage";

// Bandwidth from Tenantos end to end: the lab panel's 5-minute samples (over real HTTP) become the
// day's stored samples and 95th figure, the month's invoice line, and the nightly check against the
// panel's own `trafficStatistics` 95th.

const { db } = await createTestDatabase();
const finance = { id: "finance@test.sankofa" };

// Server 7 hangs on two switch ports (a bond), 2 Mbit/s in and 0.5 out on each, with a 5× burst in
// one slot of 40 (2.5% of the slots: the 95th leaves them out). Server 8 has a port but the panel
// keeps no samples for it (a gap, named). Server 9 has no switch port at all (nothing to bill, no gap).
const servers = () => [
  labDedicatedServer({
    id: 7,
    connections: [
      { id: 1, type: "snmp_switch", switchId: 3, portId: 12, portName: "ge-0/0/12" },
      { id: 2, type: "snmp_switch", switchId: 4, portId: 12, portName: "ge-1/0/12" },
    ],
    traffic: { inBps: 2_000_000, outBps: 500_000, burstEvery: 40, burstFactor: 5 },
  }),
  labDedicatedServer({ id: 8, servername: "dedi-8", ips: [], connections: [{ id: 3, type: "snmp_switch", switchId: 3, portId: 13, portName: "ge-0/0/13" }] }),
  labDedicatedServer({ id: 9, servername: "dedi-9", ips: [], connections: [], traffic: { inBps: 1, outBps: 1 } }),
];

/** A lab panel whose clock the test moves: 01:20 UTC the day after the day collected, as the nightly run sees it. */
async function startPanel(trafficUnit: LabTrafficUnit = "bits-per-second") {
  const clock = { now: new Date("2026-11-02T01:20:00Z") };
  const panel = await startLabTenantos({ world: { servers: servers(), subnets: [], networkDevices: [] }, now: () => clock.now, trafficUnit });
  const tenantos = createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 5_000 });
  const collect = (day: string, bandwidthMode: "higher" | "total" = "higher") => {
    clock.now = new Date(new Date(`${day}T01:20:00Z`).getTime() + 86_400_000);
    return collectUsageDay(db, finance, day, { tenantos, bandwidthMode });
  };
  return { panel, collect };
}

let panel: LabTenantos;
let collect: Awaited<ReturnType<typeof startPanel>>["collect"];
let orgId: number;

beforeAll(async () => {
  ({ panel, collect } = await startPanel());
  orgId = (await createOrg(db, finance, { code: "accra-dedi", name: "Accra Dedicated" })).id;
  await bindObjectToOrg(db, finance, { object: "server:7", orgId });
  await createSku(db, finance, {
    kind: "infra",
    currency: "EUR",
    code: "bw-95",
    name: "Bandwidth 95th",
    externalSkuId: "mkt-bw-95",
    unit: "Mbit/s",
    unitPriceMinor: 500,
    meter: "bandwidth_p95_mbps",
  });
});
afterAll(() => panel.close());

const runOf = async (day: string) =>
  (
    await db
      .select()
      .from(billingUsageRuns)
      .where(and(eq(billingUsageRuns.day, day), eq(billingUsageRuns.source, "tenantos")))
  )[0];
const samplesOfServer = (serverId: number, day: string) =>
  db
    .select()
    .from(billingBandwidthSamples)
    .where(
      and(
        eq(billingBandwidthSamples.serverId, serverId),
        gte(billingBandwidthSamples.at, new Date(`${day}T00:00:00Z`)),
        lt(billingBandwidthSamples.at, new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000)),
      ),
    )
    .orderBy(asc(billingBandwidthSamples.at));

describe("Tenantos bandwidth metering", () => {
  it("stores a day's 288 slots per server (ports added), bills the 95th, and says which server had no samples", async () => {
    const results = await collect("2026-11-01");
    const tenantos = results.find((r) => r.source === "tenantos")!;
    expect(tenantos).toMatchObject({ status: "ok", rows: 1 });
    expect(tenantos.warning).toContain("No traffic samples for server(s) 8");
    const samples = await samplesOfServer(7, "2026-11-01");
    expect(samples).toHaveLength(288);
    expect(samples[0]!.at.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(new Set(samples.map((s) => s.inBps))).toEqual(new Set([4_000_000, 20_000_000]));
    const [figure] = await db
      .select()
      .from(billingUsageSamples)
      .where(and(eq(billingUsageSamples.period, "2026-11-01"), eq(billingUsageSamples.source, "tenantos")));
    // The higher of in (4 Mbit/s) and out (1), bursts dropped; owned by the server's org.
    expect(figure).toMatchObject({ object: "server:7", meter: "bandwidth_p95_mbps", quantityMilli: 4_000, orgId });
    // Server 8's silence is no figure (not a zero), and the day still counts as collected.
    expect((await findUsageGaps(db, "2026-11-01", "2026-11-01")).find((g) => g.source === "tenantos")).toMatchObject({
      missingDays: [],
      warnings: [{ day: "2026-11-01", warning: expect.stringContaining("server(s) 8") }],
    });
  });

  it("replaces a day on a re-run (no doubled samples) and follows the contract's mode", async () => {
    await collect("2026-11-01", "total");
    expect(await samplesOfServer(7, "2026-11-01")).toHaveLength(288);
    const rows = await db
      .select()
      .from(billingUsageSamples)
      .where(and(eq(billingUsageSamples.period, "2026-11-01"), eq(billingUsageSamples.source, "tenantos")));
    expect(rows.map((r) => r.quantityMilli)).toEqual([5_000]); // in + out per sample
    expect(await runOf("2026-11-01")).toMatchObject({ status: "ok", runs: 2 });
  });

  it("keeps the day's figures when the panel fails, and shows the day failed", async () => {
    panel.failNext(10);
    const results = await collect("2026-11-02");
    panel.failNext(0);
    expect(results.find((r) => r.source === "tenantos")).toMatchObject({ status: "failed", error: expect.stringContaining("HTTP 502") });
    expect(await samplesOfServer(7, "2026-11-02")).toHaveLength(0);
    expect((await findUsageGaps(db, "2026-11-01", "2026-11-02")).find((g) => g.source === "tenantos")!.missingDays).toEqual(["2026-11-02"]);
  });

  it("does not fail the day for a server deleted in Tenantos between the list and its read, and says so", async () => {
    const real = createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 5_000 });
    // The list was read a moment before server 77 was deleted: its read answers 404 from the panel.
    const tenantos = {
      listServers: async () => [...(await real.listServers()), { id: 77, name: "gone", hostname: "", primaryIp: null, traffic95thMbps: null }],
      getNetworkGraph: real.getNetworkGraph,
    };
    const results = await collectUsageDay(db, finance, "2026-11-01", { tenantos, bandwidthMode: "higher" });
    expect(results.find((r) => r.source === "tenantos")).toMatchObject({
      status: "ok",
      rows: 1,
      warning: expect.stringContaining("Server(s) 77 were deleted in Tenantos during the collection: not billed for this day."),
    });
    // Any other failure still fails the day.
    panel.failNext(10);
    const failed = await collectUsageDay(db, finance, "2026-11-01", { tenantos, bandwidthMode: "higher" });
    panel.failNext(0);
    expect(failed.find((r) => r.source === "tenantos")).toMatchObject({ status: "failed" });
  });

  it("bills the month's 95th of every stored sample on the org's invoice", async () => {
    await collect("2026-11-02");
    const drafted = await draftInvoices(db, finance, { periodStart: "2026-11-01", periodEnd: "2026-11-30", bandwidthMode: "higher" });
    const inv = (await getInvoice(db, drafted.drafted.find((d) => d.org === "accra-dedi")!.invoiceId))!;
    expect(inv.lines).toEqual([
      expect.objectContaining({ description: "Bandwidth 95th (Mbit/s)", quantityMilli: 4_000, unitPriceMinor: 500, amountMinor: 2_000 }),
    ]);
  });
});

describe("the invoice's 95th", () => {
  it("is computed in the database by the same rule as the library, in every billing mode", async () => {
    // 1,001 uneven slots (a seeded LCG, so the series is the same every run) for a server of its own org.
    let x = 20_261_130;
    const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) % 50_000_000;
    const start = Date.UTC(2026, 5, 1);
    const samples = Array.from({ length: 1001 }, (_, i) => ({ serverId: 4242, at: new Date(start + i * 300_000), inBps: next(), outBps: next() }));
    await db.insert(billingBandwidthSamples).values(samples);
    const org = await createOrg(db, finance, { code: "tamale-lcg", name: "Tamale" });
    await bindObjectToOrg(db, finance, { object: "server:4242", orgId: org.id });
    for (const mode of BANDWIDTH_MODES) {
      const drafted = await draftInvoices(db, finance, { periodStart: "2026-06-01", periodEnd: "2026-06-30", bandwidthMode: mode });
      const inv = (await getInvoice(db, drafted.drafted.find((d) => d.org === "tamale-lcg")!.invoiceId))!;
      expect([mode, inv.lines[0]!.quantityMilli]).toEqual([mode, Math.round(computeBandwidthP95(samples, mode) / 1000)]);
    }
  });
});

describe("the nightly job", () => {
  it("reads bandwidth from the configured Tenantos connection", async () => {
    const tenantos = createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 5_000 });
    const task = createCollectUsageTask({ db, secretsKey: Buffer.alloc(32), openJunosSession: undefined as never, panel: { tenantos, untaggedVlanId: 11 } });
    const warnings: string[] = [];
    const helpers = { logger: { warn: (m: string) => warnings.push(m) } } as unknown as Parameters<typeof task>[1];
    await collect("2026-11-03"); // moves the panel's clock past the day
    await task({ day: "2026-11-03" }, helpers);
    expect(await runOf("2026-11-03")).toMatchObject({ status: "ok", runs: 2 });
    expect(await samplesOfServer(7, "2026-11-03")).toHaveLength(288);
    expect(warnings).toContainEqual("usage 2026-11-03 tenantos: No traffic samples for server(s) 8 on their switch ports: not billed for this day.");
  });
});

describe("the nightly check against Tenantos's own 95th", () => {
  // 30 days collected, so the trailing window is comparable with the panel's `95th_*_30d`.
  const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 9, 3 + i)).toISOString().slice(0, 10));

  it("stays quiet while our samples agree with the panel's figure", async () => {
    for (const day of days) await collect(day);
    const last = await runOf(days.at(-1)!);
    expect(last!.warning).not.toContain("differs");
  });

  it("warns finance when the panel's samples are in another unit than the reader expects", async () => {
    // A panel that counts bytes per 5 minutes: read as bits/s, every figure is 37.5 times too large.
    const other = await startPanel("bytes-per-interval");
    try {
      for (const day of days) await other.collect(day);
    } finally {
      await other.panel.close();
    }
    const last = await runOf(days.at(-1)!);
    expect(last).toMatchObject({ status: "ok" });
    expect(last!.warning).toContain(
      "Tenantos's own 95th of the last 30 days differs from ours for 1 of 1 server(s): server 7: ours 150.00/37.50/187.50, Tenantos 4.00/1.00/5.00 Mbit/s in/out/total (×37.5)",
    );
    // The first days of the window could not be compared yet: no warning there.
    expect((await runOf(days[0]!))!.warning).not.toContain("differs");
  });
});
