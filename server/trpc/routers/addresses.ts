import { z } from "zod";
import { hasAccess } from "@/lib/auth/roles";
import { SEARCH_MAX_LENGTH } from "@/lib/search/query";
import { getAddressHistory, getAddressOverview } from "@/server/services/addresses/history";
import { searchEverything } from "@/server/services/addresses/search";
import { createTRPCRouter, searchProcedure, viewerProcedure } from "../init";

export const addressesRouter = createTRPCRouter({
  /** The top bar's search: IT kinds for IT roles, billing kinds for finance and admins. */
  search: searchProcedure
    .input(z.object({ q: z.string().max(SEARCH_MAX_LENGTH) }))
    .query(({ ctx, input }) =>
      searchEverything(ctx.db, input.q, { isItVisible: hasAccess(ctx.user.roles, "viewer"), isBillingVisible: hasAccess(ctx.user.roles, "finance") }),
    ),
  history: viewerProcedure
    .input(z.object({ address: z.string().max(100), at: z.date().optional(), from: z.date().optional(), to: z.date().optional() }))
    .query(({ ctx, input }) => getAddressHistory(ctx.db, input.address, { at: input.at, from: input.from, to: input.to })),
  overview: viewerProcedure.input(z.object({ ip: z.string().max(64) })).query(({ ctx, input }) => getAddressOverview(ctx.db, input.ip)),
});
