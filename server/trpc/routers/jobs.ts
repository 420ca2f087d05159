import { z } from "zod";
import { jobQueueTableSpec, jobRunsTableSpec } from "@/lib/jobs/jobs-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { countJobsByState, listJobs, retryJob } from "@/server/services/platform/jobs";
import { listJobQueuePage, listJobRunsPage } from "@/server/services/platform/queries";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const jobsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ state: z.enum(["queued", "running", "retrying", "failed"]).optional(), limit: z.number().int().min(1).max(500).default(200) }))
    .query(({ ctx, input }) => listJobs(ctx.db, input)),
  /** The Jobs page's queue table: a page of the view the link names, with the total. */
  queue: viewerProcedure.input(tableInputSchema(jobQueueTableSpec)).query(({ ctx, input }) => listJobQueuePage(ctx.db, input)),
  /** The Jobs page's finished runs table. */
  runs: viewerProcedure.input(tableInputSchema(jobRunsTableSpec)).query(({ ctx, input }) => listJobRunsPage(ctx.db, input)),
  counts: viewerProcedure.query(({ ctx }) => countJobsByState(ctx.db)),
  retry: adminProcedure.input(z.object({ jobId: z.number().int().positive() })).mutation(({ ctx, input }) => retryJob(ctx.db, ctx.actor, input.jobId)),
});
