import { and, asc, desc, eq, gte, lt, sql } from "drizzle-orm";
import {
  billingBandwidthSamples,
  billingInvoiceLines,
  billingInvoices,
  billingLicences,
  billingOrgs,
  billingSeatAssignments,
  billingSkus,
  billingStripeEvents,
} from "@/drizzle/schema";
import type { Percentiles95 } from "@/lib/billing/percentile";
import { isExpiringSoon, isOverUsed } from "@/lib/billing/seats";
import type { DbOrTx } from "@/server/db/client";

/**
 * Each server's 95th percentiles over the stored samples in [from, to), computed in the database (a
 * month is 8,640 rows per server: too many to carry into the web process), with how many slots
 * there were. percentile_disc(0.95) of n values is the one at ascending position ceil(0.95·n), i.e.
 * the top floor(n/20) dropped: the rule of `computePercentile95` (and Tenantos's "top 5% removed").
 */
export async function listServerPercentiles95(db: DbOrTx, from: Date, to: Date): Promise<Array<Percentiles95 & { serverId: number; slots: number }>> {
  const s = billingBandwidthSamples;
  const rows = await db
    .select({
      serverId: s.serverId,
      slots: sql<number>`count(*)::int`,
      inBps: sql<string>`percentile_disc(0.95) within group (order by ${s.inBps})`,
      outBps: sql<string>`percentile_disc(0.95) within group (order by ${s.outBps})`,
      totalBps: sql<string>`percentile_disc(0.95) within group (order by ${s.inBps} + ${s.outBps})`,
    })
    .from(s)
    .where(and(gte(s.at, from), lt(s.at, to)))
    .groupBy(s.serverId);
  return rows.map((r) => ({ serverId: r.serverId, slots: r.slots, inBps: Number(r.inBps), outBps: Number(r.outBps), totalBps: Number(r.totalBps) }));
}

export const listSkus = (db: DbOrTx) => db.select().from(billingSkus).orderBy(asc(billingSkus.code));
export const listOrgs = (db: DbOrTx) => db.select().from(billingOrgs).orderBy(asc(billingOrgs.code));

export interface LicenceView {
  id: number;
  skuId: number;
  skuCode: string;
  skuName: string;
  grantsGroup: string | null;
  orgId: number;
  orgCode: string;
  project: string | null;
  seatCount: number;
  assigned: number;
  holders: string[];
  validFrom: Date;
  validTo: Date | null;
  status: string;
  externalRef: string | null;
  isOverUsed: boolean;
  isExpiringSoon: boolean;
}

/** Every licence with its seats given out; the page groups them by org and SKU and lists the flagged. */
export async function listLicences(db: DbOrTx, now = new Date()): Promise<LicenceView[]> {
  const rows = await db
    .select({
      l: billingLicences,
      skuCode: billingSkus.code,
      skuName: billingSkus.name,
      grantsGroup: billingSkus.grantsGroup,
      orgCode: billingOrgs.code,
      holders: sql<
        string[]
      >`coalesce((select array_agg(a.holder order by a.holder) from ${billingSeatAssignments} a where a.licence_id = ${billingLicences.id}), '{}')`,
    })
    .from(billingLicences)
    .innerJoin(billingSkus, eq(billingSkus.id, billingLicences.skuId))
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingLicences.orgId))
    .orderBy(asc(billingOrgs.code), asc(billingSkus.code), asc(billingLicences.id));
  return rows.map(({ l, holders, ...r }) => ({
    id: l.id,
    skuId: l.skuId,
    orgId: l.orgId,
    project: l.project,
    seatCount: l.seatCount,
    validFrom: l.validFrom,
    validTo: l.validTo,
    status: l.status,
    externalRef: l.externalRef,
    ...r,
    holders,
    assigned: holders.length,
    isOverUsed: isOverUsed(l.seatCount, holders.length),
    isExpiringSoon: l.status !== "revoked" && l.status !== "expired" && isExpiringSoon(l.validTo, now),
  }));
}

/**
 * The Keycloak side of entitlements: for each group a SKU grants, the users holding a seat of a
 * live licence of it. The JSON is what a realm import or a sync script reads (our format, stated
 * in docs/billing-csv.md's neighbour section of the README).
 */
export async function exportKeycloakMapping(db: DbOrTx, now = new Date()) {
  const licences = (await listLicences(db, now)).filter(
    (l) => l.grantsGroup && (l.status === "active" || l.status === "trialing" || l.status === "past_due") && (!l.validTo || l.validTo > now),
  );
  const groups = new Map<string, { group: string; skus: Set<string>; members: Set<string> }>();
  for (const l of licences) {
    const g = groups.get(l.grantsGroup!) ?? { group: l.grantsGroup!, skus: new Set(), members: new Set() };
    g.skus.add(l.skuCode);
    for (const h of l.holders) if (h.includes("@")) g.members.add(h);
    groups.set(g.group, g);
  }
  return {
    version: 1,
    generatedAt: now.toISOString(),
    groups: [...groups.values()].map((g) => ({ group: g.group, skus: [...g.skus].sort(), members: [...g.members].sort() })),
  };
}

export async function listInvoices(db: DbOrTx, f: { periodStart?: string } = {}) {
  return db
    .select({ invoice: billingInvoices, orgCode: billingOrgs.code, orgName: billingOrgs.name })
    .from(billingInvoices)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingInvoices.orgId))
    .where(f.periodStart ? eq(billingInvoices.periodStart, f.periodStart) : undefined)
    .orderBy(desc(billingInvoices.periodStart), asc(billingOrgs.code), asc(billingInvoices.id))
    .limit(500);
}

export async function getInvoice(db: DbOrTx, id: number) {
  const [head] = await db
    .select({ invoice: billingInvoices, orgCode: billingOrgs.code, orgName: billingOrgs.name })
    .from(billingInvoices)
    .innerJoin(billingOrgs, eq(billingOrgs.id, billingInvoices.orgId))
    .where(eq(billingInvoices.id, id));
  if (!head) return undefined;
  const lines = await db.select().from(billingInvoiceLines).where(eq(billingInvoiceLines.invoiceId, id)).orderBy(asc(billingInvoiceLines.position));
  return { ...head, lines };
}

export const listStripeEvents = (db: DbOrTx, limit = 100) =>
  db
    .select({
      id: billingStripeEvents.id,
      type: billingStripeEvents.type,
      objectId: billingStripeEvents.objectId,
      created: billingStripeEvents.created,
      status: billingStripeEvents.status,
      note: billingStripeEvents.note,
      receivedAt: billingStripeEvents.receivedAt,
    })
    .from(billingStripeEvents)
    .orderBy(desc(billingStripeEvents.receivedAt))
    .limit(limit);
