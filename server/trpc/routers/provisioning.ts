import { z } from "zod";
import { planProvisioningJob, requestProvisioningJob, requireProvisioningProxmox } from "@/server/services/provisioning/jobs";
import { getProvisioningJob, listProvisioningJobs } from "@/server/services/provisioning/queries";
import { adminProcedure, createTRPCRouter, viewerProcedure, type TrpcContext } from "../init";

// The request is validated by the service's own schema (lib/provisioning/jobs.ts), which names the bad field.
const request = z.record(z.string(), z.unknown());
const proxmoxOf = (ctx: TrpcContext) => requireProvisioningProxmox(ctx.db, ctx.env, ctx.getSecretsKey());

/** Provisioning on Proxmox: the dry run, the request (ticket), the queue and each job whole. */
export const provisioningRouter = createTRPCRouter({
  list: viewerProcedure.query(({ ctx }) => listProvisioningJobs(ctx.db)),
  get: viewerProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => getProvisioningJob(ctx.db, input.id)),
  plan: adminProcedure
    .input(z.object({ request }))
    .mutation(async ({ ctx, input }) => planProvisioningJob(ctx.db, { proxmox: await proxmoxOf(ctx) }, ctx.actor, input.request)),
  request: adminProcedure
    .input(z.object({ request, ticketId: z.string().max(100).optional() }))
    .mutation(async ({ ctx, input }) => requestProvisioningJob(ctx.db, { proxmox: await proxmoxOf(ctx) }, ctx.actor, input)),
});
