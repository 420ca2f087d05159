import { z } from "zod";
import { checkVmacAgreement } from "@/server/services/port-security/vmac-check";
import { requestVmacRelease } from "@/server/services/platform/approvals";
import { createVmac, listVmacEvents, listVmacs } from "@/server/services/port-security/vmacs";
import { listVmacEventPage, listVmacPage } from "@/server/services/port-security/queries";
import { vmacEventTableSpec, vmacTableSpec } from "@/lib/port-security/vmac-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const vmacsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ search: z.string().max(100).optional(), isActiveOnly: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(200) }))
    .query(({ ctx, input }) => listVmacs(ctx.db, input)),
  events: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => listVmacEvents(ctx.db, input.limit)),
  /** The console's tables: a page of the view the link names, with the total. */
  table: viewerProcedure.input(tableInputSchema(vmacTableSpec)).query(({ ctx, input }) => listVmacPage(ctx.db, input)),
  eventTable: viewerProcedure.input(tableInputSchema(vmacEventTableSpec)).query(({ ctx, input }) => listVmacEventPage(ctx.db, input)),
  create: adminProcedure
    .input(z.object({ ip: z.string().max(64), serverId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => createVmac(ctx.db, ctx.actor, input)),
  /** VMACs that a Proxmox guest or a switch binding contradicts. */
  check: viewerProcedure.query(async ({ ctx }) => checkVmacAgreement(ctx.db, await ctx.getOutsideSystems(), ctx.getSecretsKey())),
  release: adminProcedure.input(z.object({ ip: z.string().max(64) })).mutation(({ ctx, input }) => requestVmacRelease(ctx.db, ctx.actor, input.ip)),
});
