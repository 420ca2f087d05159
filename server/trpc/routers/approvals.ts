import { z } from "zod";
import { decideApproval, listApprovals } from "@/server/services/platform/approvals";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const approvalsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ status: z.enum(["pending", "applied", "rejected", "failed"]).optional() }))
    .query(({ ctx, input }) => listApprovals(ctx.db, input.status)),
  decide: adminProcedure
    .input(z.object({ id: z.number().int().positive(), decision: z.enum(["approve", "reject"]) }))
    .mutation(({ ctx, input }) => decideApproval(ctx.db, ctx.actor, input.id, input.decision)),
});
