import { z } from "zod";
import { countJobsByState, listJobs, retryJob } from "@/server/services/platform/jobs";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const jobsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ state: z.enum(["queued", "running", "retrying", "failed"]).optional(), limit: z.number().int().min(1).max(500).default(200) }))
    .query(({ ctx, input }) => listJobs(ctx.db, input)),
  counts: viewerProcedure.query(({ ctx }) => countJobsByState(ctx.db)),
  retry: adminProcedure.input(z.object({ jobId: z.number().int().positive() })).mutation(({ ctx, input }) => retryJob(ctx.db, ctx.actor, input.jobId)),
});
