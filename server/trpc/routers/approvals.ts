import { z } from "zod";
import { hasAccess } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { approvalTableSpec } from "@/lib/approvals/approval-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { decideApproval, listApprovalPage, listApprovals } from "@/server/services/platform/approvals";
import { createTRPCRouter, protectedProcedure } from "../init";

/** IT (admins decide, viewers read) and finance (decides the billing mode) use the queue. */
const queueProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!hasAccess(ctx.user.roles, "viewer") && !hasAccess(ctx.user.roles, "finance"))
    throw new AppError("FORBIDDEN", "forbidden: the approvals need an IT or finance role");
  return next();
});

export const approvalsRouter = createTRPCRouter({
  list: queueProcedure
    .input(z.object({ status: z.enum(["pending", "applied", "rejected", "failed", "expired"]).optional() }))
    .query(async ({ ctx, input }) => listApprovals(ctx.db, input.status, { secretsKey: ctx.getSecretsKey(), panel: await ctx.getOutsideSystems() })),
  /** The console's queue table: a page of the view the link names, with the total. */
  table: queueProcedure
    .input(tableInputSchema(approvalTableSpec))
    .query(async ({ ctx, input }) => listApprovalPage(ctx.db, input, { secretsKey: ctx.getSecretsKey(), panel: await ctx.getOutsideSystems() })),
  decide: queueProcedure
    .input(
      z.object({
        id: z.number().int().positive(),
        decision: z.enum(["approve", "reject"]),
        /** The digest of what the approver was shown: a state that moved since is shown again, not applied. */
        digest: z
          .string()
          .regex(/^[0-9a-f]{32}$/)
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      decideApproval(ctx.db, ctx.actor, input.id, input.decision, {
        deps: { secretsKey: ctx.getSecretsKey(), panel: await ctx.getOutsideSystems() },
        seenDigest: input.digest,
      }),
    ),
});
