import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

// The commercial side (issue 15): a catalogue linked to the marketplace's, licences/entitlements,
// Stripe's events, daily usage and invoices. Money is always integer minor units plus an ISO 4217
// currency; quantities are integer thousandths ("milli"), so every sum is exact.

import { BILLING_METERS } from "../../lib/billing/meters";
import { QUOTE_STATUSES } from "../../lib/billing/quotes";

export { BILLING_METERS, type BillingMeter } from "../../lib/billing/meters";

/** A customer organisation; the Stripe customer id links Stripe's events to it. */
export const billingOrgs = pgTable(
  "billing_orgs",
  {
    id: serial("id").primaryKey(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    stripeCustomerId: text("stripe_customer_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("billing_orgs_code_idx").on(t.code), uniqueIndex("billing_orgs_stripe_customer_idx").on(t.stripeCustomerId)],
);
export type BillingOrgRow = typeof billingOrgs.$inferSelect;

export const billingSkus = pgTable(
  "billing_skus",
  {
    id: serial("id").primaryKey(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["infra", "licence"] }).notNull(),
    /** The marketplace catalogue's id for this SKU: we link to that catalogue, never keep a second one. */
    externalSkuId: text("external_sku_id").notNull(),
    /** Stripe price id: a subscription item with this price becomes a licence of this SKU. */
    stripePriceId: text("stripe_price_id"),
    unit: text("unit").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    meter: text("meter", { enum: BILLING_METERS }),
    /** A Keycloak group the entitlement grants (e.g. `/sankofa-it-viewer`), exported for the realm. */
    grantsGroup: text("grants_group"),
    isActive: boolean("is_active").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("billing_skus_code_idx").on(t.code),
    uniqueIndex("billing_skus_external_idx").on(t.externalSkuId),
    uniqueIndex("billing_skus_stripe_price_idx").on(t.stripePriceId),
    check("billing_skus_price", sql`${t.unitPriceMinor} >= 0`),
    check("billing_skus_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);
export type BillingSkuRow = typeof billingSkus.$inferSelect;

/**
 * The price of a SKU in force from a UTC day on (issue 25: "prices in force then"). Written by a
 * trigger on billing_skus whatever path changes a price, so an invoice for June keeps June's prices
 * after a price change in December. A SKU's first price has no start (`-infinity`): nothing older is
 * known.
 */
export const billingSkuPrices = pgTable(
  "billing_sku_prices",
  {
    id: serial("id").primaryKey(),
    skuId: integer("sku_id")
      .notNull()
      .references(() => billingSkus.id, { onDelete: "cascade" }),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("billing_sku_prices_from_idx").on(t.skuId, t.validFrom),
    check("billing_sku_prices_price", sql`${t.unitPriceMinor} >= 0`),
    check("billing_sku_prices_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);
export type BillingSkuPriceRow = typeof billingSkuPrices.$inferSelect;

/** A licence (entitlement): seats of a SKU for an org (optionally one project), for a time. */
export const billingLicences = pgTable(
  "billing_licences",
  {
    id: serial("id").primaryKey(),
    skuId: integer("sku_id")
      .notNull()
      .references(() => billingSkus.id),
    orgId: integer("org_id")
      .notNull()
      .references(() => billingOrgs.id),
    project: text("project"),
    seatCount: integer("seat_count").notNull(),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull(),
    validTo: timestamp("valid_to", { withTimezone: true }),
    /** Stripe subscription item id (`si_…`) when Stripe owns it; null for one granted by hand. */
    externalRef: text("external_ref"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    status: text("status", { enum: ["active", "trialing", "past_due", "expired", "revoked"] })
      .notNull()
      .default("active"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("billing_licences_external_idx").on(t.externalRef),
    index("billing_licences_org_idx").on(t.orgId),
    check("billing_licences_seats", sql`${t.seatCount} >= 0`),
  ],
);
export type BillingLicenceRow = typeof billingLicences.$inferSelect;

/** Who holds a seat of a licence: a user (email) or a server. */
export const billingSeatAssignments = pgTable(
  "billing_seat_assignments",
  {
    id: serial("id").primaryKey(),
    licenceId: integer("licence_id")
      .notNull()
      .references(() => billingLicences.id, { onDelete: "cascade" }),
    holder: text("holder").notNull(),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("billing_seat_assignments_holder_idx").on(t.licenceId, t.holder)],
);
export type BillingSeatAssignmentRow = typeof billingSeatAssignments.$inferSelect;

/**
 * Every Stripe event we accepted: the id's uniqueness is the durable dedup (a replayed or retried
 * delivery inserts nothing). `created` is Stripe's event time, used for ordering per object.
 */
export const billingStripeEvents = pgTable(
  "billing_stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    objectId: text("object_id"),
    created: timestamp("created", { withTimezone: true }).notNull(),
    payload: jsonb("payload").notNull(),
    /** `needs_look`: stored and shown to finance with the reason in `note`; it changed no invoice. */
    status: text("status", { enum: ["received", "applied", "stale", "ignored", "failed", "needs_look"] })
      .notNull()
      .default("received"),
    note: text("note"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("billing_stripe_events_received_idx").on(t.receivedAt.desc().nullsFirst()), index("billing_stripe_events_object_idx").on(t.objectId)],
);
export type BillingStripeEventRow = typeof billingStripeEvents.$inferSelect;

/** Per Stripe object, the event last applied to it: an older one arriving late is not applied. */
export const billingStripeObjects = pgTable("billing_stripe_objects", {
  objectId: text("object_id").primaryKey(),
  lastEventId: text("last_event_id").notNull(),
  lastEventType: text("last_event_type").notNull(),
  lastEventCreated: timestamp("last_event_created", { withTimezone: true }).notNull(),
});

export const billingInvoices = pgTable(
  "billing_invoices",
  {
    id: serial("id").primaryKey(),
    orgId: integer("org_id")
      .notNull()
      .references(() => billingOrgs.id),
    /** The period, UTC days: from `periodStart` up to and including `periodEnd`. */
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ["draft", "issued", "paid", "void"] })
      .notNull()
      .default("draft"),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull().default(0),
    /**
     * What credit notes (ours and Stripe's) took off this invoice, kept by a trigger and bounded by
     * a check: never more than the total (see the billing_money_invariants migration).
     */
    creditedMinor: bigint("credited_minor", { mode: "number" }).notNull().default(0),
    /** Matched payments less refunds (Stripe's figures), in the invoice's currency: the ledger's "paid". */
    paidMinor: bigint("paid_minor", { mode: "number" }).notNull().default(0),
    /** The invoice this one corrects (a credit note is a new invoice with credit lines). */
    correctsInvoiceId: integer("corrects_invoice_id"),
    stripeInvoiceId: text("stripe_invoice_id"),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    paymentFailedAt: timestamp("payment_failed_at", { withTimezone: true }),
    voidedAt: timestamp("voided_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("billing_invoices_period_idx").on(t.periodStart, t.orgId),
    uniqueIndex("billing_invoices_stripe_idx").on(t.stripeInvoiceId),
    // One draft per org, period and currency: regenerating a draft replaces its lines.
    uniqueIndex("billing_invoices_one_draft_idx")
      .on(t.orgId, t.periodStart, t.periodEnd, t.currency)
      .where(sql`status = 'draft' and corrects_invoice_id is null`),
    check("billing_invoices_credit_bounded", sql`${t.correctsInvoiceId} is not null or (${t.creditedMinor} >= 0 and ${t.creditedMinor} <= ${t.totalMinor})`),
    // Overlapping periods of one org and currency (two issued invoices, two drafts) are refused by
    // exclusion constraints in the billing_money_invariants migration (drizzle cannot express them).
  ],
);
export type BillingInvoiceRow = typeof billingInvoices.$inferSelect;

export const billingInvoiceLines = pgTable(
  "billing_invoice_lines",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => billingInvoices.id),
    position: integer("position").notNull(),
    skuId: integer("sku_id").references(() => billingSkus.id),
    description: text("description").notNull(),
    /** Thousandths of the SKU's unit (negative on a credit line). */
    quantityMilli: bigint("quantity_milli", { mode: "number" }).notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    /** Who charges it: `us` (this invoice's total) or `stripe` (a Stripe subscription bills it; shown, amount 0). */
    billedBy: text("billed_by", { enum: ["us", "stripe"] })
      .notNull()
      .default("us"),
  },
  (t) => [
    uniqueIndex("billing_invoice_lines_position_idx").on(t.invoiceId, t.position),
    check("billing_invoice_lines_stripe_zero", sql`${t.billedBy} = 'us' or ${t.amountMinor} = 0`),
  ],
);
export type BillingInvoiceLineRow = typeof billingInvoiceLines.$inferSelect;

/**
 * Money Stripe moved for one of our invoices, matched first (same customer, currency, an issued
 * invoice): a payment (`invoice.paid`), a refund (`charge.refunded`) or a Stripe credit note
 * (`credit_note.created`). Stripe's amounts on these objects are cumulative (`amount_paid`,
 * `amount_refunded`), so one row per Stripe object holds the latest figure, never a sum of deliveries.
 */
export const billingPayments = pgTable(
  "billing_payments",
  {
    id: serial("id").primaryKey(),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => billingInvoices.id),
    kind: text("kind", { enum: ["payment", "refund", "credit_note"] }).notNull(),
    /** `in_…` (payment), `ch_…` (refund), `cn_…` (credit note). */
    stripeObjectId: text("stripe_object_id").notNull(),
    stripeEventId: text("stripe_event_id").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    /** A payment against what was due: `exact`, `partial` or `over`. Null for refunds and credit notes. */
    match: text("match", { enum: ["exact", "partial", "over"] }),
    /** The PaymentIntent behind a payment: how a later refund (a charge) finds its invoice. */
    paymentIntent: text("payment_intent"),
    /** Stripe's time of the fact (`status_transitions.paid_at`, the refund's or credit note's `created`). */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("billing_payments_object_idx").on(t.kind, t.stripeObjectId),
    index("billing_payments_invoice_idx").on(t.invoiceId),
    index("billing_payments_intent_idx").on(t.paymentIntent),
    check("billing_payments_amount", sql`${t.amountMinor} >= 0`),
  ],
);
export type BillingPaymentRow = typeof billingPayments.$inferSelect;

/** The nightly ledger check: what it found (invoices whose lines or payments do not add up). */
export const billingLedgerChecks = pgTable("billing_ledger_checks", {
  id: serial("id").primaryKey(),
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
  invoices: integer("invoices").notNull(),
  flags: jsonb("flags").notNull(),
});
export type BillingLedgerCheckRow = typeof billingLedgerChecks.$inferSelect;

/** One collection of one UTC day from one source: present and `ok` = that day's figures are in. */
export const billingUsageRuns = pgTable(
  "billing_usage_runs",
  {
    id: serial("id").primaryKey(),
    day: date("day", { mode: "string" }).notNull(),
    source: text("source", { enum: ["proxmox", "ipam", "tenantos"] }).notNull(),
    status: text("status", { enum: ["ok", "failed"] }).notNull(),
    rows: integer("rows").notNull().default(0),
    error: text("error"),
    /** Collected, but with something to check first (Tenantos's own 95th disagreeing with ours, servers without samples). */
    warning: text("warning"),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
    /** How many times this day was collected (a re-run replaces the figures and counts here). */
    runs: integer("runs").notNull().default(1),
  },
  (t) => [uniqueIndex("billing_usage_runs_day_source_idx").on(t.day, t.source)],
);
export type BillingUsageRunRow = typeof billingUsageRuns.$inferSelect;

/**
 * A day's figure for one object and meter. The dedup key is (source, object, meter, period): a
 * second collection of a day replaces, never adds. `collectedAt` is fixed when it was read.
 */
export const billingUsageSamples = pgTable(
  "billing_usage_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    source: text("source", { enum: ["proxmox", "ipam", "tenantos"] }).notNull(),
    /** `vmid:101`, `server:7`, `org:acme` */
    object: text("object").notNull(),
    meter: text("meter", { enum: BILLING_METERS }).notNull(),
    period: date("period", { mode: "string" }).notNull(),
    orgId: integer("org_id").references(() => billingOrgs.id),
    node: text("node"),
    quantityMilli: bigint("quantity_milli", { mode: "number" }).notNull(),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("billing_usage_samples_dedup_idx").on(t.source, t.object, t.meter, t.period),
    index("billing_usage_samples_period_idx").on(t.period, t.orgId),
  ],
);
export type BillingUsageSampleRow = typeof billingUsageSamples.$inferSelect;

/**
 * A closed day (inside an issued invoice's period) collected again with different figures: the
 * recorded figure stays what was billed; this row keeps both for finance (a credit note or a
 * supplement is their call). Null on one side: the object had no figure in that collection.
 */
export const billingUsageCorrections = pgTable(
  "billing_usage_corrections",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    day: date("day", { mode: "string" }).notNull(),
    source: text("source", { enum: ["proxmox", "ipam", "tenantos"] }).notNull(),
    object: text("object").notNull(),
    meter: text("meter", { enum: BILLING_METERS }).notNull(),
    recordedMilli: bigint("recorded_milli", { mode: "number" }),
    recollectedMilli: bigint("recollected_milli", { mode: "number" }),
    recollectedAt: timestamp("recollected_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("billing_usage_corrections_day_idx").on(t.day, t.source)],
);
export type BillingUsageCorrectionRow = typeof billingUsageCorrections.$inferSelect;

/** Tenantos's 5-minute bandwidth samples per server (bits/s), kept for the month's 95th percentile. */
export const billingBandwidthSamples = pgTable(
  "billing_bandwidth_samples",
  {
    serverId: integer("server_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    inBps: bigint("in_bps", { mode: "number" }).notNull(),
    outBps: bigint("out_bps", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("billing_bandwidth_samples_key_idx").on(t.serverId, t.at)],
);

/**
 * Which org a metered object belongs to (`vmid:101`, `server:7`): usage of an object with no binding
 * is still recorded (org empty) and shown as unassigned, never dropped.
 */
export const billingObjectOrgs = pgTable("billing_object_orgs", {
  object: text("object").primaryKey(),
  orgId: integer("org_id")
    .notNull()
    .references(() => billingOrgs.id),
});

export { QUOTE_STATUSES, type QuoteStatus } from "../../lib/billing/quotes";

/**
 * A quote (issue 25): a priced proposal for an org from the catalogue, valid through `validUntil`
 * (a UTC day). Money and states are guarded here too: amounts ≥ 0, an ISO currency, the status
 * graph (a trigger: draft → sent → accepted/expired/declined), lines only changed while draft, and
 * no acceptance after the last valid day (migration billing_quotes_guards).
 */
export const billingQuotes = pgTable(
  "billing_quotes",
  {
    id: serial("id").primaryKey(),
    orgId: integer("org_id")
      .notNull()
      .references(() => billingOrgs.id),
    currency: text("currency").notNull(),
    status: text("status", { enum: QUOTE_STATUSES }).notNull().default("draft"),
    validUntil: date("valid_until", { mode: "string" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    declinedAt: timestamp("declined_at", { withTimezone: true }),
    expiredAt: timestamp("expired_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("billing_quotes_org_idx").on(t.orgId),
    index("billing_quotes_open_idx")
      .on(t.validUntil)
      .where(sql`status in ('draft', 'sent')`),
    check("billing_quotes_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("billing_quotes_total", sql`${t.totalMinor} >= 0`),
    check("billing_quotes_status", sql`${t.status} in ('draft', 'sent', 'accepted', 'expired', 'declined')`),
    check("billing_quotes_sent", sql`${t.status} = 'draft' or ${t.status} = 'expired' or ${t.status} = 'declined' or ${t.sentAt} is not null`),
    // Accepted means accepted on or before the last valid day (UTC): an expired quote cannot be accepted.
    check(
      "billing_quotes_accepted_in_time",
      sql`(${t.status} = 'accepted') = (${t.acceptedAt} is not null) and (${t.acceptedAt} is null or (${t.acceptedAt} at time zone 'UTC')::date <= ${t.validUntil})`,
    ),
  ],
);
export type BillingQuoteRow = typeof billingQuotes.$inferSelect;

export const billingQuoteLines = pgTable(
  "billing_quote_lines",
  {
    id: serial("id").primaryKey(),
    quoteId: integer("quote_id")
      .notNull()
      .references(() => billingQuotes.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    skuId: integer("sku_id")
      .notNull()
      .references(() => billingSkus.id),
    description: text("description").notNull(),
    /** Thousandths of the SKU's unit; whole seats for a licence SKU. */
    quantityMilli: bigint("quantity_milli", { mode: "number" }).notNull(),
    /** The SKU's price when the quote was made (a later price change does not change a sent quote). */
    unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    /** The licence its acceptance created (licence SKUs only). */
    licenceId: integer("licence_id").references(() => billingLicences.id),
  },
  (t) => [
    uniqueIndex("billing_quote_lines_position_idx").on(t.quoteId, t.position),
    check("billing_quote_lines_quantity", sql`${t.quantityMilli} > 0`),
    check("billing_quote_lines_price", sql`${t.unitPriceMinor} >= 0`),
    check("billing_quote_lines_amount", sql`${t.amountMinor} >= 0`),
  ],
);
export type BillingQuoteLineRow = typeof billingQuoteLines.$inferSelect;
