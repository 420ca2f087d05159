import { and, eq, gte, lte, sql } from "drizzle-orm";
import { billingBandwidthSamples, billingObjectOrgs, billingUsageRuns, billingUsageSamples, ipamAddresses } from "@/drizzle/schema";
import type { BandwidthMode, BandwidthSample } from "@/lib/billing/percentile";
import { computeBandwidthFigure, computeGuestDayUsage, computeIpv4Counts, findMissingDays, type UsageFigure } from "@/lib/billing/usage";
import type { ProxmoxClient } from "@/server/connectors/proxmox/client";
import { BILLING_USAGE_QUEUE, jobKeys } from "@/lib/jobs/keys";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";

export type UsageSource = "proxmox" | "ipam" | "tenantos";
export const USAGE_SOURCES: readonly UsageSource[] = ["proxmox", "ipam", "tenantos"];

/** Tenantos's 5-minute network samples (bits/s) of a server for a time range, and which servers to read. */
export interface BandwidthReader {
  listServerIds(): Promise<number[]>;
  readSamples(serverId: number, from: Date, to: Date): Promise<Array<BandwidthSample & { at: Date }>>;
}

export interface UsageDeps {
  proxmox?: ProxmoxClient;
  bandwidth?: BandwidthReader;
  bandwidthMode: BandwidthMode;
}

type Reading = { figures: UsageFigure[]; bandwidth?: Array<{ serverId: number; samples: Array<BandwidthSample & { at: Date }> }> } | { error: string };

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
      for (const g of guests) figures.push(...computeGuestDayUsage(g, await deps.proxmox.getGuestConfig(g)));
      return { figures };
    }
    if (!deps.bandwidth) return { error: "Tenantos bandwidth samples are not configured" };
    const from = new Date(`${day}T00:00:00Z`);
    const to = new Date(from.getTime() + 86_400_000);
    const bandwidth = [];
    for (const serverId of await deps.bandwidth.listServerIds()) bandwidth.push({ serverId, samples: await deps.bandwidth.readSamples(serverId, from, to) });
    return { figures: bandwidth.map((b) => computeBandwidthFigure(b.serverId, b.samples, deps.bandwidthMode)), bandwidth };
  } catch (e) {
    return { error: `${source}: ${(e as Error).message}` };
  }
}

export interface DayResult {
  source: UsageSource;
  status: "ok" | "failed";
  rows: number;
  error: string | null;
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
        if (!("error" in reading)) {
          await tx.delete(billingUsageSamples).where(and(eq(billingUsageSamples.period, day), eq(billingUsageSamples.source, source)));
          const orgs = new Map((await tx.select().from(billingObjectOrgs)).map((b) => [b.object, b.orgId]));
          for (let i = 0; i < reading.figures.length; i += 1000) {
            const chunk = reading.figures.slice(i, i + 1000);
            if (chunk.length)
              await tx.insert(billingUsageSamples).values(chunk.map((f) => ({ ...f, source, period: day, orgId: orgs.get(f.object) ?? null, collectedAt })));
          }
          for (const b of reading.bandwidth ?? []) {
            const from = new Date(`${day}T00:00:00Z`);
            await tx
              .delete(billingBandwidthSamples)
              .where(
                and(
                  eq(billingBandwidthSamples.serverId, b.serverId),
                  gte(billingBandwidthSamples.at, from),
                  lte(billingBandwidthSamples.at, new Date(from.getTime() + 86_399_999)),
                ),
              );
            for (let i = 0; i < b.samples.length; i += 1000)
              await tx
                .insert(billingBandwidthSamples)
                .values(b.samples.slice(i, i + 1000).map((s) => ({ serverId: b.serverId, at: s.at, inBps: s.inBps, outBps: s.outBps })));
          }
          rows = reading.figures.length;
        }
        const error = "error" in reading ? reading.error : null;
        await tx
          .insert(billingUsageRuns)
          .values({ day, source, status, rows, error, collectedAt })
          .onConflictDoUpdate({
            target: [billingUsageRuns.day, billingUsageRuns.source],
            set: { status, rows, error, collectedAt, runs: sql`${billingUsageRuns.runs} + 1` },
          });
        await writeAudit(tx, actor, {
          action: before ? "billing.usage.recollect" : "billing.usage.collect",
          entityType: "usage_day",
          entityId: `${day}:${source}`,
          before: before ? { status: before.status, rows: before.rows, collectedAt: before.collectedAt } : null,
          after: { status, rows, error },
        });
        return { source, status, rows, error };
      }),
    );
  }
  return results;
}

/** Per source, the days of a period with no successful collection (shown, never read as zero). */
export async function findUsageGaps(db: DbOrTx, from: string, to: string) {
  const runs = await db
    .select()
    .from(billingUsageRuns)
    .where(and(gte(billingUsageRuns.day, from), lte(billingUsageRuns.day, to)));
  return USAGE_SOURCES.map((source) => {
    const mine = runs.filter((r) => r.source === source);
    return {
      source,
      missingDays: findMissingDays(from, to, new Set(mine.filter((r) => r.status === "ok").map((r) => r.day))),
      failures: mine.filter((r) => r.status === "failed").map((r) => ({ day: r.day, error: r.error })),
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
