import { and, asc, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
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
import type { BillingInvoiceRow } from "@/drizzle/schema";
import type { InvoiceTableSort, invoiceTableSpec } from "@/lib/billing/invoice-table";
import { EXPIRING_DAYS, type LicenceTableSort, type licenceTableSpec } from "@/lib/billing/licence-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import { escapeLike } from "@/server/db/like";
import { iterateList, listPage, type ListPage, type ListSource } from "@/server/db/list-query";
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

// ---- The billing page's invoices table, and its CSV through the same source and WHERE.

export interface InvoiceListRow {
  id: number;
  orgCode: string;
  orgName: string;
  periodStart: string;
  periodEnd: string;
  status: BillingInvoiceRow["status"];
  totalMinor: number;
  currency: string;
  issuedAt: Date | null;
  paidAt: Date | null;
  paymentFailedAt: Date | null;
  correctsInvoiceId: number | null;
  creditedMinor: number;
  paidMinor: number;
  refundedMinor: number;
  stripeCreditedMinor: number;
}

type RawInvoice = {
  id: number;
  org_code: string;
  org_name: string;
  period_start: string;
  period_end: string;
  status: BillingInvoiceRow["status"];
  total_minor: string;
  currency: string;
  issued_at: string | Date | null;
  paid_at: string | Date | null;
  payment_failed_at: string | Date | null;
  corrects_invoice_id: number | null;
  credited_minor: string;
  paid_minor: string;
  refunded_minor: string;
  stripe_credited_minor: string;
};

const at = (v: string | Date | null) => (v === null ? null : new Date(v));

/** The invoices CSV's columns (billing-invoices/2) plus what the table shows. */
export const invoiceSource: ListSource<InvoiceTableSort, RawInvoice, InvoiceListRow> = {
  select: sql`i.id, o.code as org_code, o.name as org_name, i.period_start::text as period_start, i.period_end::text as period_end, i.status,
    i.total_minor::text as total_minor, i.currency, i.issued_at, i.paid_at, i.payment_failed_at, i.corrects_invoice_id,
    i.credited_minor::text as credited_minor, i.paid_minor::text as paid_minor,
    (select coalesce(sum(p.amount_minor), 0)::text from billing_payments p where p.invoice_id = i.id and p.kind = 'refund') as refunded_minor,
    (select coalesce(sum(p.amount_minor), 0)::text from billing_payments p where p.invoice_id = i.id and p.kind = 'credit_note') as stripe_credited_minor`,
  from: sql`billing_invoices i join billing_orgs o on o.id = i.org_id`,
  sortColumns: { org: sql`o.code`, id: sql`i.id`, status: sql`i.status`, total: [sql`i.currency`, sql`i.total_minor`], issued: sql`i.issued_at` },
  tiebreaker: sql`i.id`,
  mapRow: (r) => ({
    id: r.id,
    orgCode: r.org_code,
    orgName: r.org_name,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    status: r.status,
    totalMinor: Number(r.total_minor),
    currency: r.currency,
    issuedAt: at(r.issued_at),
    paidAt: at(r.paid_at),
    paymentFailedAt: at(r.payment_failed_at),
    correctsInvoiceId: r.corrects_invoice_id,
    creditedMinor: Number(r.credited_minor),
    paidMinor: Number(r.paid_minor),
    refundedMinor: Number(r.refunded_minor),
    stripeCreditedMinor: Number(r.stripe_credited_minor),
  }),
};

export interface InvoiceTableView {
  sort: InvoiceTableSort;
  dir: SortDir;
  q: string;
  filters: FilterValues<(typeof invoiceTableSpec)["filters"]>;
}

/** The invoices of the period starting `periodStart` that the view's filters keep (void ones too). */
export function invoiceWhere(periodStart: string, view: Pick<InvoiceTableView, "q" | "filters">): Array<SQL | undefined> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  return [
    sql`i.period_start = ${periodStart}::date`,
    f.status ? sql`i.status = ${f.status}` : undefined,
    f.org ? sql`(o.code ilike ${`%${escapeLike(f.org)}%`} or o.name ilike ${`%${escapeLike(f.org)}%`})` : undefined,
    f.currency ? sql`upper(i.currency) = ${f.currency.toUpperCase()}` : undefined,
    f.kind === "credit-note" ? sql`i.corrects_invoice_id is not null` : f.kind === "invoice" ? sql`i.corrects_invoice_id is null` : undefined,
    f.payment === "failed" ? sql`i.payment_failed_at is not null and i.status = 'issued'` : undefined,
    q ? sql`(o.code ilike ${like} or o.name ilike ${like} or i.stripe_invoice_id ilike ${like} or i.id::text = ${q})` : undefined,
  ];
}

/** One page of the month's invoices and how many its filters match. */
export function listInvoicePage(
  db: DbOrTx,
  periodStart: string,
  view: InvoiceTableView & { page: number; pageSize: number },
): Promise<ListPage<InvoiceListRow>> {
  return listPage(db, invoiceSource, { where: invoiceWhere(periodStart, view), sort: view.sort, dir: view.dir, page: view.page, pageSize: view.pageSize });
}

/** The same rows, every page, for the CSV of the filtered view. */
export function iterateInvoiceView(db: DbOrTx, periodStart: string, view: InvoiceTableView): AsyncGenerator<InvoiceListRow[]> {
  return iterateList(db, invoiceSource, { where: invoiceWhere(periodStart, view), sort: view.sort, dir: view.dir });
}

// ---- The licences page's table: one page of licences with their holders, filtered in Postgres.

type RawLicence = {
  id: number;
  sku_id: number;
  org_id: number;
  project: string | null;
  seat_count: number;
  valid_from: string | Date;
  valid_to: string | Date | null;
  status: LicenceView["status"];
  external_ref: string | null;
  sku_code: string;
  sku_name: string;
  grants_group: string | null;
  org_code: string;
  holders: string[] | null;
};

// The SQL side of isOverUsed and isExpiringSoon (lib/billing/seats), for the filter; the rows' flags
// are still computed by those functions, and a test checks that both agree.
const assignedSql = sql`(select count(*) from billing_seat_assignments a where a.licence_id = l.id)`;
const expiringSql = (now: Date) =>
  sql`(l.status not in ('revoked', 'expired') and l.valid_to is not null and l.valid_to >= ${now.toISOString()}::timestamptz
    and l.valid_to <= ${now.toISOString()}::timestamptz + ${`${EXPIRING_DAYS} days`}::interval)`;

const licenceSource = (now: Date): ListSource<LicenceTableSort, RawLicence, LicenceView> => ({
  select: sql`l.id, l.sku_id, l.org_id, l.project, l.seat_count, l.valid_from, l.valid_to, l.status, l.external_ref, s.code as sku_code, s.name as sku_name,
    s.grants_group, o.code as org_code,
    coalesce((select array_agg(a.holder order by a.holder) from billing_seat_assignments a where a.licence_id = l.id), '{}') as holders`,
  from: sql`billing_licences l join billing_skus s on s.id = l.sku_id join billing_orgs o on o.id = l.org_id`,
  sortColumns: { org: [sql`o.code`, sql`s.code`], sku: sql`s.code`, id: sql`l.id`, seats: sql`l.seat_count`, validTo: sql`l.valid_to`, status: sql`l.status` },
  tiebreaker: sql`l.id`,
  mapRow: (r) => {
    const holders = r.holders ?? [];
    const validTo = r.valid_to === null ? null : new Date(r.valid_to);
    return {
      id: r.id,
      skuId: r.sku_id,
      orgId: r.org_id,
      project: r.project,
      seatCount: r.seat_count,
      validFrom: new Date(r.valid_from),
      validTo,
      status: r.status,
      externalRef: r.external_ref,
      skuCode: r.sku_code,
      skuName: r.sku_name,
      grantsGroup: r.grants_group,
      orgCode: r.org_code,
      holders,
      assigned: holders.length,
      isOverUsed: isOverUsed(r.seat_count, holders.length),
      isExpiringSoon: r.status !== "revoked" && r.status !== "expired" && isExpiringSoon(validTo, now),
    };
  },
});

export interface LicenceTableView {
  sort: LicenceTableSort;
  dir: SortDir;
  q: string;
  filters: FilterValues<(typeof licenceTableSpec)["filters"]>;
  page: number;
  pageSize: number;
}

/** One page of the licences (every org) and how many its filters match. */
export function listLicencePage(db: DbOrTx, view: LicenceTableView, now = new Date()): Promise<ListPage<LicenceView>> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  const contains = (v: string) => `%${escapeLike(v)}%`;
  return listPage(db, licenceSource(now), {
    where: [
      f.status ? sql`l.status = ${f.status}` : undefined,
      f.org ? sql`(o.code ilike ${contains(f.org)} or o.name ilike ${contains(f.org)})` : undefined,
      f.sku ? sql`(s.code ilike ${contains(f.sku)} or s.name ilike ${contains(f.sku)})` : undefined,
      f.flag === "over-used" ? sql`${assignedSql} > l.seat_count` : f.flag === "expiring" ? expiringSql(now) : undefined,
      f.source === "stripe" ? sql`l.external_ref is not null` : f.source === "manual" ? sql`l.external_ref is null` : undefined,
      q
        ? sql`(l.project ilike ${like} or l.external_ref ilike ${like} or l.id::text = ${q}
            or exists (select 1 from billing_seat_assignments a where a.licence_id = l.id and a.holder ilike ${like}))`
        : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}
