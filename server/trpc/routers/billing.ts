import { z } from "zod";
import { BILLING_METERS } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { createStripeClient } from "@/server/connectors/stripe/client";
import { bindObjectToOrg, createOrg, createSku, updateSku } from "@/server/services/billing/catalogue";
import { assignSeat, createLicence, releaseSeat, revokeLicence, updateLicenceSeats } from "@/server/services/billing/licences";
import {
  exportKeycloakMapping,
  getInvoice,
  listInvoicePage,
  listInvoices,
  listLicencePage,
  listLicences,
  listOrgs,
  listSkus,
  listStripeEvents,
} from "@/server/services/billing/queries";
import { invoiceTableSpec } from "@/lib/billing/invoice-table";
import { licenceTableSpec } from "@/lib/billing/licence-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { resyncFromStripe } from "@/server/services/billing/stripe";
import { createCreditNote, draftInvoices, issueInvoice, voidInvoice } from "@/server/services/billing/invoices";
import { getLastLedgerCheck, listLedger, listNeedsLook, runLedgerCheck } from "@/server/services/billing/ledger";
import { findUsageGaps, listUsageSeries, requestUsageRecollect } from "@/server/services/billing/usage";
import { getSettings } from "@/server/services/platform/settings";
import { createTRPCRouter, financeProcedure } from "../init";

// Billing is finance's and IT admins' (financeProcedure); viewers cannot see it, and finance's
// role opens no IT procedure (those are viewer/admin doors).
const id = z.number().int().positive();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const period = z.object({ from: day, to: day });
const sku = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and dashes"),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(["infra", "licence"]),
  externalSkuId: z.string().trim().min(1).max(200),
  stripePriceId: z.string().trim().max(200).nullish(),
  unit: z.string().trim().min(1).max(50),
  unitPriceMinor: z.number().int().min(0),
  currency: z.string().trim().length(3),
  meter: z.enum(BILLING_METERS).nullish(),
  grantsGroup: z.string().trim().max(255).nullish(),
  isActive: z.boolean().optional(),
});

export const billingRouter = createTRPCRouter({
  skus: financeProcedure.query(({ ctx }) => listSkus(ctx.db)),
  orgs: financeProcedure.query(({ ctx }) => listOrgs(ctx.db)),
  licences: financeProcedure.query(({ ctx }) => listLicences(ctx.db)),
  /** The licences page's table: a page of the view the link names, with the total. */
  licenceTable: financeProcedure.input(tableInputSchema(licenceTableSpec)).query(({ ctx, input }) => listLicencePage(ctx.db, input)),
  keycloakMapping: financeProcedure.query(({ ctx }) => exportKeycloakMapping(ctx.db)),
  invoices: financeProcedure
    .input(
      z
        .object({
          periodStart: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => listInvoices(ctx.db, input ?? {})),
  /** The billing page's invoices table: a page of the month's invoices as the link filters them, with the total. */
  invoiceTable: financeProcedure
    .input(tableInputSchema(invoiceTableSpec).extend({ periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }))
    .query(({ ctx, input: { periodStart, ...view } }) => listInvoicePage(ctx.db, periodStart, view)),
  invoice: financeProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const invoice = await getInvoice(ctx.db, input.id);
    if (!invoice) throw new AppError("NOT_FOUND", `invoice ${input.id} does not exist`);
    return invoice;
  }),
  stripeEvents: financeProcedure.query(({ ctx }) => listStripeEvents(ctx.db)),
  ledger: financeProcedure.query(({ ctx }) => listLedger(ctx.db)),
  needsLook: financeProcedure.query(({ ctx }) => listNeedsLook(ctx.db)),
  lastLedgerCheck: financeProcedure.query(({ ctx }) => getLastLedgerCheck(ctx.db)),
  checkLedger: financeProcedure.mutation(({ ctx }) => runLedgerCheck(ctx.db, ctx.actor)),
  usageSeries: financeProcedure
    .input(period.extend({ meter: z.enum(BILLING_METERS), by: z.enum(["org", "node"]) }))
    .query(({ ctx, input }) => listUsageSeries(ctx.db, input)),
  usageGaps: financeProcedure.input(period).query(({ ctx, input }) => findUsageGaps(ctx.db, input.from, input.to)),
  recollectUsage: financeProcedure.input(z.object({ day })).mutation(({ ctx, input }) => requestUsageRecollect(ctx.db, ctx.actor, input.day)),
  draftInvoices: financeProcedure.input(z.object({ periodStart: day, periodEnd: day })).mutation(async ({ ctx, input }) => {
    const { bandwidthBillingMode } = await getSettings(ctx.db);
    return draftInvoices(ctx.db, ctx.actor, { ...input, bandwidthMode: bandwidthBillingMode });
  }),
  issueInvoice: financeProcedure.input(z.object({ id })).mutation(({ ctx, input }) => issueInvoice(ctx.db, ctx.actor, input.id)),
  voidInvoice: financeProcedure.input(z.object({ id })).mutation(({ ctx, input }) => voidInvoice(ctx.db, ctx.actor, input.id)),
  creditInvoice: financeProcedure
    .input(z.object({ invoiceId: id, amountMinor: z.number().int().positive(), reason: z.string().trim().min(1).max(500) }))
    .mutation(({ ctx, input }) => createCreditNote(ctx.db, ctx.actor, input)),

  createSku: financeProcedure.input(sku).mutation(({ ctx, input }) => createSku(ctx.db, ctx.actor, input)),
  updateSku: financeProcedure.input(sku.extend({ id })).mutation(({ ctx, input: { id: skuId, ...rest } }) => updateSku(ctx.db, ctx.actor, skuId, rest)),
  createOrg: financeProcedure
    .input(z.object({ code: z.string().max(63), name: z.string().trim().min(1).max(200), stripeCustomerId: z.string().trim().max(200).nullish() }))
    .mutation(({ ctx, input }) => createOrg(ctx.db, ctx.actor, input)),
  bindObject: financeProcedure
    .input(z.object({ object: z.string().max(40), orgId: id }))
    .mutation(({ ctx, input }) => bindObjectToOrg(ctx.db, ctx.actor, input)),
  createLicence: financeProcedure
    .input(
      z.object({
        skuId: id,
        orgId: id,
        project: z.string().trim().max(200).nullish(),
        seatCount: z.number().int().min(0).max(1_000_000),
        validFrom: z.coerce.date(),
        validTo: z.coerce.date().nullish(),
      }),
    )
    .mutation(({ ctx, input }) => createLicence(ctx.db, ctx.actor, input)),
  updateSeats: financeProcedure
    .input(z.object({ licenceId: id, seatCount: z.number().int().min(0).max(1_000_000) }))
    .mutation(({ ctx, input }) => updateLicenceSeats(ctx.db, ctx.actor, input)),
  revokeLicence: financeProcedure.input(z.object({ licenceId: id })).mutation(({ ctx, input }) => revokeLicence(ctx.db, ctx.actor, input)),
  assignSeat: financeProcedure
    .input(z.object({ licenceId: id, holder: z.string().max(320) }))
    .mutation(({ ctx, input }) => assignSeat(ctx.db, ctx.actor, input)),
  releaseSeat: financeProcedure
    .input(z.object({ licenceId: id, holder: z.string().max(320) }))
    .mutation(({ ctx, input }) => releaseSeat(ctx.db, ctx.actor, input)),
  resyncStripe: financeProcedure.input(z.object({ days: z.number().int().min(1).max(30).default(30) })).mutation(({ ctx, input }) => {
    if (!ctx.env.STRIPE_SECRET_KEY) throw new AppError("UNAVAILABLE", "re-sync needs STRIPE_SECRET_KEY (a key that may read events)");
    return resyncFromStripe(ctx.db, ctx.actor, createStripeClient({ secretKey: ctx.env.STRIPE_SECRET_KEY, apiUrl: ctx.env.STRIPE_API_URL }), input);
  }),
});
