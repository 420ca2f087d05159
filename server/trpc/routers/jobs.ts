import { z } from "zod";
import { countJobsByState, listJobs, retryJob } from "@/server/services/platform/jobs";
import { taskPayloads } from "@/lib/jobs/payloads";
import { JOB_RUN_OUTCOMES, listJobRuns } from "@/server/services/platform/queries";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const jobsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ state: z.enum(["queued", "running", "retrying", "failed"]).optional(), limit: z.number().int().min(1).max(500).default(200) }))
    .query(({ ctx, input }) => listJobs(ctx.db, input)),
  runs: viewerProcedure
    .input(
      z.object({
        task: z.enum(Object.keys(taskPayloads) as [keyof typeof taskPayloads, ...Array<keyof typeof taskPayloads>]).optional(),
        outcome: z.enum(JOB_RUN_OUTCOMES).optional(),
        from: day.optional(),
        to: day.optional(),
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listJobRuns(ctx.db, input)),
  counts: viewerProcedure.query(({ ctx }) => countJobsByState(ctx.db)),
  retry: adminProcedure.input(z.object({ jobId: z.number().int().positive() })).mutation(({ ctx, input }) => retryJob(ctx.db, ctx.actor, input.jobId)),
});
