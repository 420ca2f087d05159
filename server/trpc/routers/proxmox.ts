import { z } from "zod";
import { previewServerPort, pushServerPortNow } from "@/server/services/port-security/preview";
import { getProxmoxOverview } from "@/server/services/port-security/proxmox-overview";
import { requestNodeServerChange } from "@/server/services/platform/approvals";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const server = z.object({ serverId: z.number().int().positive() });

/** Nodes, VMs and the port-security preview; "push now" goes through the switch's own queue. */
export const proxmoxRouter = createTRPCRouter({
  overview: viewerProcedure.query(async ({ ctx }) => getProxmoxOverview(ctx.db, await ctx.getOutsideSystems())),
  confirmNodeServer: adminProcedure
    .input(z.object({ node: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "a Proxmox node name"), serverId: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) =>
      requestNodeServerChange(ctx.db, { secretsKey: ctx.getSecretsKey(), panel: await ctx.getOutsideSystems() }, ctx.actor, input),
    ),
  // Unmapping takes the node's VM bindings off its uplink: it waits for a second admin (with what it removes).
  removeNodeServer: adminProcedure
    .input(z.object({ node: z.string().max(63) }))
    .mutation(async ({ ctx, input }) =>
      requestNodeServerChange(ctx.db, { secretsKey: ctx.getSecretsKey(), panel: await ctx.getOutsideSystems() }, ctx.actor, {
        node: input.node,
        serverId: null,
      }),
    ),
  preview: viewerProcedure
    .input(server)
    .query(async ({ ctx, input }) => previewServerPort(ctx.db, await ctx.getOutsideSystems(), ctx.getSecretsKey(), input.serverId)),
  pushNow: adminProcedure.input(server).mutation(async ({ ctx, input }) => pushServerPortNow(ctx.db, await ctx.getOutsideSystems(), ctx.actor, input.serverId)),
});
