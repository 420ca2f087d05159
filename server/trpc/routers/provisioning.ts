import { z } from "zod";
import { planProvisioningJob, requestProvisioningJob, requireProvisioningProxmox } from "@/server/services/provisioning/jobs";
import { getProvisioningJob, listJobPage, listProvisioningJobs } from "@/server/services/provisioning/queries";
import { jobTableSpec } from "@/lib/provisioning/job-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { adminProcedure, createTRPCRouter, viewerProcedure, type TrpcContext } from "../init";

// The request is validated by the service's own schema (lib/provisioning/jobs.ts), which names the bad field.
const request = z.record(z.string(), z.unknown());
const proxmoxOf = (ctx: TrpcContext) => requireProvisioningProxmox(ctx.db, ctx.env, ctx.getSecretsKey());

/** Provisioning on Proxmox: the dry run, the request (ticket), the queue and each job whole. */
export const provisioningRouter = createTRPCRouter({
  list: viewerProcedure.query(({ ctx }) => listProvisioningJobs(ctx.db)),
  /** The console's queue table: a page of the view the link names, with the total. */
  table: viewerProcedure.input(tableInputSchema(jobTableSpec)).query(({ ctx, input }) => listJobPage(ctx.db, input)),
  get: viewerProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getProvisioningJob(ctx.db, input.id)),
  plan: adminProcedure
    .input(z.object({ request }))
    .mutation(async ({ ctx, input }) => planProvisioningJob(ctx.db, { proxmox: await proxmoxOf(ctx) }, ctx.actor, input.request)),
  request: adminProcedure
    .input(z.object({ request, ticketId: z.string().max(100).optional() }))
    .mutation(async ({ ctx, input }) => requestProvisioningJob(ctx.db, { proxmox: await proxmoxOf(ctx) }, ctx.actor, input)),
});
