import { and, eq, gte, lt, lte, sql } from "drizzle-orm";
import {
  billingBandwidthSamples,
  billingInvoices,
  billingObjectOrgs,
  billingUsageCorrections,
  billingUsageRuns,
  billingUsageSamples,
  ipamAddresses,
} from "@/drizzle/schema";
import { checkAgainstPanel95th, mergePortSamples, type Percentile95Mbps, type TimedSample } from "@/lib/billing/bandwidth";
import type { BandwidthMode } from "@/lib/billing/percentile";
import { computeBandwidthFigure, computeGuestDayUsage, computeIpv4Counts, findMissingDays, type UsageFigure } from "@/lib/billing/usage";
import type { ProxmoxClient } from "@/server/connectors/proxmox/client";
import { TenantosError, type TenantosClient } from "@/server/connectors/tenantos/client";
import { BILLING_USAGE_QUEUE, jobKeys } from "@/lib/jobs/keys";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";
import { listServerPercentiles95 } from "./queries";

export type UsageSource = "proxmox" | "ipam" | "tenantos";
export const USAGE_SOURCES: readonly UsageSource[] = ["proxmox", "ipam", "tenantos"];

export interface UsageDeps {
  proxmox?: ProxmoxClient;
  /** Tenantos's servers (with its own 30-day 95th figures) and their 5-minute traffic samples. */
  tenantos?: Pick<TenantosClient, "listServers" | "getNetworkGraph">;
  bandwidthMode: BandwidthMode;
}

type ServerTraffic = { serverId: number; samples: TimedSample[]; panel95thMbps: Percentile95Mbps | null };
type Reading = { figures: UsageFigure[]; bandwidth?: ServerTraffic[]; silentServers?: number[]; goneServers?: number[] } | { error: string };

/** What a source says about `day`, read before any write (no network call inside a transaction). */
async function readSource(db: DbOrTx, source: UsageSource, day: string, deps: UsageDeps): Promise<Reading> {
  try {
    if (source === "ipam") {
      const rows = await db
        .select({ address: sql<string>`host(${ipamAddresses.address})`, vmid: ipamAddresses.vmid })
        .from(ipamAddresses)
        .where(eq(ipamAddresses.status, "active"));
      return { figures: computeIpv4Counts(rows) };
    }
    if (source === "proxmox") {
      if (!deps.proxmox) return { error: "Proxmox is not configured" };
      const guests = await deps.proxmox.listGuests();
      const figures: UsageFigure[] = [];
      for (const g of guests) figures.push(...(await readGuestDay(deps.proxmox, g, day)));
      return { figures };
    }
    if (!deps.tenantos) return { error: "Tenantos is not configured" };
    const { from, to } = dayRange(day);
    const bandwidth: ServerTraffic[] = [];
    const silentServers: number[] = [];
    const goneServers: number[] = [];
    for (const server of await deps.tenantos.listServers()) {
      // One server's failure fails the day (shown as missing), never a partial day that reads as less
      // traffic. Except a server deleted since the list was read (404): it has nothing left to bill.
      const ports = await deps.tenantos.getNetworkGraph(server.id, from, new Date(to.getTime() - 1000)).catch((e: unknown) => {
        if (e instanceof TenantosError && e.kind === "not-found") {
          goneServers.push(server.id);
          return [];
        }
        throw e;
      });
      // A server with no monitored port (a VPS, an unwired box) has no bandwidth to bill: not a gap.
      if (ports.length === 0) continue;
      const samples = mergePortSamples(ports, from, to);
      // A port without a sample is no data (the panel kept none), not zero traffic.
      if (samples.length === 0) silentServers.push(server.id);
      else bandwidth.push({ serverId: server.id, samples, panel95thMbps: server.traffic95thMbps });
    }
    return { figures: bandwidth.map((b) => computeBandwidthFigure(b.serverId, b.samples, deps.bandwidthMode)), bandwidth, silentServers, goneServers };
  } catch (e) {
    return { error: `${source}: ${(e as Error).message}` };
  }
}

/**
 * A guest's day from its RRD history: the shortest timeframe whose points cover the whole day (PVE 8's
 * `day` reaches 35 h back at 30 min; PVE 9's only 24 h, so a day read after midnight needs `week`;
 * older days `month`). A day no timeframe covers fails the source, naming the guest.
 */
async function readGuestDay(proxmox: ProxmoxClient, g: Awaited<ReturnType<ProxmoxClient["listGuests"]>>[number], day: string): Promise<UsageFigure[]> {
  const config = await proxmox.getGuestConfig(g);
  for (const timeframe of ["day", "week", "month"] as const) {
    const figures = computeGuestDayUsage(g, config, await proxmox.getGuestRrd(g, timeframe), day);
    if (figures) return figures;
  }
  throw new AppError("BAD_REQUEST", `Proxmox keeps no RRD history covering ${day} for ${g.type} ${g.vmid} on ${g.node} (a month at most)`);
}

const dayRange = (day: string) => {
  const from = new Date(`${day}T00:00:00Z`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
};

/**
 * Our 95th of the 30 days up to the end of `day` against Tenantos's own, per server: the nightly
 * proof that the samples are read in the right unit. A sentence for the day's run when something
 * is off (a difference, servers with no samples), else null.
 */
async function checkBandwidthAgainstPanel(tx: DbOrTx, day: string, reading: { bandwidth?: ServerTraffic[]; silentServers?: number[]; goneServers?: number[] }) {
  const { to } = dayRange(day);
  const windowFrom = new Date(to.getTime() - 30 * 86_400_000);
  const byServer = new Map((await listServerPercentiles95(tx, windowFrom, to)).map((o) => [o.serverId, o]));
  const checks = (reading.bandwidth ?? []).map((b) => {
    const o = byServer.get(b.serverId);
    const mbps = (bps: number | undefined) => (bps ?? 0) / 1e6;
    const check = checkAgainstPanel95th({ in: mbps(o?.inBps), out: mbps(o?.outBps), total: mbps(o?.totalBps), slots: o?.slots ?? 0 }, b.panel95thMbps);
    return { serverId: b.serverId, ...check };
  });
  const differs = checks.filter((c) => c.verdict === "differs");
  const parts: string[] = [];
  if (differs.length > 0) {
    const f = (m: Percentile95Mbps) => `${m.in.toFixed(2)}/${m.out.toFixed(2)}/${m.total.toFixed(2)}`;
    const shown = differs
      .slice(0, 3)
      .map((c) =>
        c.verdict === "differs" ? `server ${c.serverId}: ours ${f(c.ours)}, Tenantos ${f(c.panel)} Mbit/s in/out/total (×${c.ratio.toFixed(1)})` : "",
      );
    parts.push(
      `Tenantos's own 95th of the last 30 days differs from ours for ${differs.length} of ${checks.length} server(s): ${shown.join("; ")}. ` +
        "The samples may not be in the unit the reader expects (bits/s, a guess): check before invoicing.",
    );
  }
  const silent = reading.silentServers ?? [];
  if (silent.length)
    parts.push(
      `No traffic samples for server(s) ${silent.slice(0, 10).join(", ")}${silent.length > 10 ? ` and ${silent.length - 10} more` : ""} on their switch ports: not billed for this day.`,
    );
  if (reading.goneServers?.length)
    parts.push(`Server(s) ${reading.goneServers.join(", ")} were deleted in Tenantos during the collection: not billed for this day.`);
  return {
    warning: parts.length ? parts.join(" ") : null,
    checked: {
      agrees: checks.filter((c) => c.verdict === "agrees").length,
      differs: differs.length,
      notComparable: checks.length - checks.filter((c) => c.verdict === "agrees").length - differs.length,
    },
  };
}

/**
 * A day is closed once an issued (or paid) invoice bills it: its figures are what was billed and
 * are never rewritten (issue 25, "the past stays the past").
 */
export async function isDayClosed(db: DbOrTx, day: string): Promise<boolean> {
  const [hit] = await db
    .select({ id: billingInvoices.id })
    .from(billingInvoices)
    .where(
      and(
        sql`${billingInvoices.status} in ('issued', 'paid')`,
        sql`${billingInvoices.correctsInvoiceId} is null`,
        lte(billingInvoices.periodStart, day),
        gte(billingInvoices.periodEnd, day),
      ),
    )
    .limit(1);
  return Boolean(hit);
}

/** Where the recorded figures and a re-read differ, per object and meter (either side may be missing). */
function diffFigures(recorded: Array<{ object: string; meter: string; quantityMilli: number }>, again: UsageFigure[]) {
  const key = (f: { object: string; meter: string }) => `${f.object}\u0000${f.meter}`;
  const before = new Map(recorded.map((r) => [key(r), r]));
  const after = new Map(again.map((f) => [key(f), f]));
  const out: Array<{ object: string; meter: UsageFigure["meter"]; recordedMilli: number | null; recollectedMilli: number | null }> = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(k);
    const a = after.get(k);
    if (b?.quantityMilli === a?.quantityMilli) continue;
    const ref = (a ?? b)!;
    out.push({
      object: ref.object,
      meter: ref.meter as UsageFigure["meter"],
      recordedMilli: b?.quantityMilli ?? null,
      recollectedMilli: a?.quantityMilli ?? null,
    });
  }
  return out;
}

export interface DayResult {
  source: UsageSource;
  status: "ok" | "failed";
  rows: number;
  error: string | null;
  /** Collected, but something finance should know first (Tenantos's own 95th disagrees, servers without samples). */
  warning: string | null;
}

/**
 * Collects one UTC day from every source. Per day and source it is idempotent: the day's figures
 * are replaced (never added to) in one transaction with its run record and audit row. A source
 * that fails keeps the figures it had (if any) and its run says failed, so the day shows as missing.
 */
export async function collectUsageDay(db: Db, actor: Actor, day: string, deps: UsageDeps): Promise<DayResult[]> {
  const results: DayResult[] = [];
  for (const source of USAGE_SOURCES) {
    const reading = await readSource(db, source, day, deps);
    // The sample time is fixed here, when it was read, and never rewritten.
    const collectedAt = new Date();
    results.push(
      await db.transaction(async (tx) => {
        // One collection of a (day, source) at a time: a second one waits, then replaces.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`billing-usage:${day}:${source}`}))`);
        const [before] = await tx
          .select()
          .from(billingUsageRuns)
          .where(and(eq(billingUsageRuns.day, day), eq(billingUsageRuns.source, source)));
        const status = "error" in reading ? ("failed" as const) : ("ok" as const);
        let rows = before?.rows ?? 0;
        // A recorded day stays as recorded when it is billed (closed), and for IPAM always: IPAM
        // answers with today's addresses, never with a past day's, so a re-read would rewrite the
        // past with today's world. The difference, if any, is kept beside it as a correction.
        const isKept = before?.status === "ok" && !("error" in reading) && (source === "ipam" || (await isDayClosed(tx, day)));
        if (isKept && !("error" in reading)) {
          const recorded = await tx
            .select()
            .from(billingUsageSamples)
            .where(and(eq(billingUsageSamples.period, day), eq(billingUsageSamples.source, source)));
          const corrections = diffFigures(recorded, reading.figures);
          if (corrections.length) await tx.insert(billingUsageCorrections).values(corrections.map((c) => ({ ...c, day, source, recollectedAt: collectedAt })));
          const note = corrections.length
            ? `Collected again on ${collectedAt.toISOString()}: ${corrections.length} figure(s) differ; the recorded ones stay (see corrections).`
            : null;
          await tx
            .update(billingUsageRuns)
            .set({ runs: sql`${billingUsageRuns.runs} + 1`, warning: note ?? before!.warning })
            .where(eq(billingUsageRuns.id, before!.id));
          await writeAudit(tx, actor, {
            action: corrections.length ? "billing.usage.correction" : "billing.usage.recollect",
            entityType: "usage_day",
            entityId: `${day}:${source}`,
            before: { status: before!.status, rows: before!.rows, collectedAt: before!.collectedAt },
            after: { kept: true, corrections },
          });
          return { source, status, rows, error: null, warning: note ?? before!.warning };
        }
        if (!("error" in reading)) {
          await tx.delete(billingUsageSamples).where(and(eq(billingUsageSamples.period, day), eq(billingUsageSamples.source, source)));
          const orgs = new Map((await tx.select().from(billingObjectOrgs)).map((b) => [b.object, b.orgId]));
          for (let i = 0; i < reading.figures.length; i += 1000) {
            const chunk = reading.figures.slice(i, i + 1000);
            if (chunk.length)
              await tx.insert(billingUsageSamples).values(chunk.map((f) => ({ ...f, source, period: day, orgId: orgs.get(f.object) ?? null, collectedAt })));
          }
          const { from, to } = dayRange(day);
          // The day's samples are replaced as a whole: a server gone from the panel leaves none behind.
          if (source === "tenantos")
            await tx.delete(billingBandwidthSamples).where(and(gte(billingBandwidthSamples.at, from), lt(billingBandwidthSamples.at, to)));
          for (const b of reading.bandwidth ?? []) {
            for (let i = 0; i < b.samples.length; i += 1000)
              await tx
                .insert(billingBandwidthSamples)
                .values(b.samples.slice(i, i + 1000).map((s) => ({ serverId: b.serverId, at: s.at, inBps: s.inBps, outBps: s.outBps })));
          }
          rows = reading.figures.length;
        }
        const error = "error" in reading ? reading.error : null;
        // A failed run keeps the figures it had, and with them the warning they had.
        const check = source === "tenantos" && !("error" in reading) ? await checkBandwidthAgainstPanel(tx, day, reading) : null;
        const warning = check ? check.warning : (before?.warning ?? null);
        await tx
          .insert(billingUsageRuns)
          .values({ day, source, status, rows, error, warning, collectedAt })
          .onConflictDoUpdate({
            target: [billingUsageRuns.day, billingUsageRuns.source],
            set: { status, rows, error, warning, collectedAt, runs: sql`${billingUsageRuns.runs} + 1` },
          });
        await writeAudit(tx, actor, {
          action: before ? "billing.usage.recollect" : "billing.usage.collect",
          entityType: "usage_day",
          entityId: `${day}:${source}`,
          before: before ? { status: before.status, rows: before.rows, warning: before.warning, collectedAt: before.collectedAt } : null,
          after: { status, rows, error, warning, ...(check ? { panelCheck: check.checked } : {}) },
        });
        return { source, status, rows, error, warning };
      }),
    );
  }
  return results;
}

/** Per source, the days of a period with no successful collection (shown, never read as zero). */
export async function findUsageGaps(db: DbOrTx, from: string, to: string, now = new Date()) {
  const runs = await db
    .select()
    .from(billingUsageRuns)
    .where(and(gte(billingUsageRuns.day, from), lte(billingUsageRuns.day, to)));
  return USAGE_SOURCES.map((source) => {
    const mine = runs.filter((r) => r.source === source);
    return {
      source,
      missingDays: findMissingDays(from, to, new Set(mine.filter((r) => r.status === "ok").map((r) => r.day)), now),
      failures: mine.filter((r) => r.status === "failed").map((r) => ({ day: r.day, error: r.error })),
      warnings: mine.filter((r) => r.status === "ok" && r.warning).map((r) => ({ day: r.day, warning: r.warning! })),
    };
  });
}

/** Daily totals of one meter per org (or per node) for the usage chart. */
export async function listUsageSeries(db: DbOrTx, f: { from: string; to: string; meter: UsageFigure["meter"]; by: "org" | "node" }) {
  const key =
    f.by === "org"
      ? sql<string>`coalesce((select code from billing_orgs o where o.id = ${billingUsageSamples.orgId}), 'unassigned')`
      : sql<string>`coalesce(${billingUsageSamples.node}, 'none')`;
  const rows = await db
    .select({ day: billingUsageSamples.period, key, quantityMilli: sql<string>`sum(${billingUsageSamples.quantityMilli})` })
    .from(billingUsageSamples)
    .where(and(eq(billingUsageSamples.meter, f.meter), gte(billingUsageSamples.period, f.from), lte(billingUsageSamples.period, f.to)))
    .groupBy(billingUsageSamples.period, key)
    .orderBy(billingUsageSamples.period);
  return rows.map((r) => ({ day: r.day, key: r.key, quantityMilli: Number(r.quantityMilli) }));
}

/** Finance or an admin asks for a day to be collected again (it replaces that day's figures): queued and audited together. */
export async function requestUsageRecollect(db: Db, actor: Actor, day: string, now = new Date()): Promise<{ jobId: number }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new AppError("BAD_REQUEST", `day: "${day}" is not a date (YYYY-MM-DD)`, { field: "day" });
  if (day >= now.toISOString().slice(0, 10))
    throw new AppError("BAD_REQUEST", `day ${day} is not over yet (UTC): only past days are collected`, { field: "day" });
  if (await isDayClosed(db, day))
    throw new AppError("CONFLICT", `day ${day} is on an issued invoice: its figures stay as billed (a correction is a credit note)`, { field: "day" });
  return db.transaction(async (tx) => {
    const jobId = await enqueueJob(
      tx,
      "collect-usage",
      { day, requestedBy: actor.id },
      { queueName: BILLING_USAGE_QUEUE, jobKey: jobKeys.collectUsage(day), maxAttempts: 3 },
    );
    await writeAudit(tx, actor, { action: "billing.usage.recollect_requested", entityType: "usage_day", entityId: day, after: { jobId } });
    return { jobId };
  });
}
