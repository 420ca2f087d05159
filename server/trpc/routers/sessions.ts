import { z } from "zod";
import { getSignInOverview, listActiveConsoleSessions, revokeConsoleSession } from "@/server/services/platform/sessions";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const sessionsRouter = createTRPCRouter({
  overview: viewerProcedure.query(({ ctx }) =>
    getSignInOverview(ctx.db, {
      adminEmail: ctx.env.ADMIN_EMAIL,
      isBreakGlassEnabled: Boolean(ctx.env.ADMIN_PASSWORD),
      isOidcConfigured: Boolean(ctx.env.OIDC_ISSUER),
      isAdminMfaRequired: ctx.env.OIDC_ADMIN_MFA === "required",
    }),
  ),
  list: adminProcedure.query(({ ctx }) => listActiveConsoleSessions(ctx.db)),
  revoke: adminProcedure
    .input(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, "a session id is 64 hex characters") }))
    .mutation(({ ctx, input }) => revokeConsoleSession(ctx.db, ctx.actor, input.id, `revoked by ${ctx.actor.id}`)),
});
