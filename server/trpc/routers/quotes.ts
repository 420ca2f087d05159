import { z } from "zod";
import { acceptQuote, createQuote, declineQuote, getQuoteDocument, listQuotes, sendQuote } from "@/server/services/billing/quotes";
import { createTRPCRouter, financeProcedure } from "../init";

// Quotes are money: finance and IT admins only (financeProcedure), like the rest of billing.
const id = z.number().int().positive();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");

export const quotesRouter = createTRPCRouter({
  list: financeProcedure.query(({ ctx }) => listQuotes(ctx.db)),
  get: financeProcedure.input(z.object({ id })).query(({ ctx, input }) => getQuoteDocument(ctx.db, input.id)),
  create: financeProcedure
    .input(
      z.object({
        orgId: id,
        currency: z.string().trim().length(3),
        validUntil: day,
        note: z.string().trim().max(1000).nullish(),
        lines: z
          .array(z.object({ skuId: id, quantityMilli: z.number().int().positive(), description: z.string().trim().max(500).nullish() }))
          .min(1)
          .max(100),
      }),
    )
    .mutation(({ ctx, input }) => createQuote(ctx.db, ctx.actor, input)),
  send: financeProcedure.input(z.object({ id })).mutation(({ ctx, input }) => sendQuote(ctx.db, ctx.actor, input.id)),
  accept: financeProcedure.input(z.object({ id })).mutation(({ ctx, input }) => acceptQuote(ctx.db, ctx.actor, input.id)),
  decline: financeProcedure.input(z.object({ id })).mutation(({ ctx, input }) => declineQuote(ctx.db, ctx.actor, input.id)),
});
