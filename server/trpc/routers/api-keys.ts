import { z } from "zod";
import { API_SCOPES } from "@/lib/auth/api-scopes";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/platform/api-keys";
import { adminProcedure, createTRPCRouter } from "../init";

export const apiKeysRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listApiKeys(ctx.db)),
  create: adminProcedure
    .input(z.object({ name: z.string().max(200), scopes: z.array(z.enum(API_SCOPES)).max(API_SCOPES.length) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.actor, input)),
  revoke: adminProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.actor, input.id)),
});
