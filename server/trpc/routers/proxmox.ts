import { z } from "zod";
import { previewServerPort, pushServerPortNow } from "@/server/services/port-security/preview";
import { getProxmoxOverview } from "@/server/services/port-security/proxmox-overview";
import { confirmNodeServer, removeNodeServer } from "@/server/services/port-security/proxmox-nodes";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const server = z.object({ serverId: z.number().int().positive() });

/** Nodes, VMs and the port-security preview; "push now" goes through the switch's own queue. */
export const proxmoxRouter = createTRPCRouter({
  overview: viewerProcedure.query(async ({ ctx }) => getProxmoxOverview(ctx.db, await ctx.getOutsideSystems())),
  confirmNodeServer: adminProcedure
    .input(z.object({ node: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "a Proxmox node name"), serverId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => confirmNodeServer(ctx.db, ctx.actor, input)),
  removeNodeServer: adminProcedure.input(z.object({ node: z.string().max(63) })).mutation(({ ctx, input }) => removeNodeServer(ctx.db, ctx.actor, input.node)),
  preview: viewerProcedure
    .input(server)
    .query(async ({ ctx, input }) => previewServerPort(ctx.db, await ctx.getOutsideSystems(), ctx.getSecretsKey(), input.serverId)),
  pushNow: adminProcedure.input(server).mutation(async ({ ctx, input }) => pushServerPortNow(ctx.db, await ctx.getOutsideSystems(), ctx.actor, input.serverId)),
});
