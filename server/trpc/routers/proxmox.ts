import { z } from "zod";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getEnv } from "@/server/env";
import { loadOutsideSystems } from "@/server/services/port-security/connections";
import { previewServerPort, pushServerPortNow } from "@/server/services/port-security/preview";
import { getProxmoxOverview } from "@/server/services/port-security/proxmox-overview";
import { confirmNodeServer, removeNodeServer } from "@/server/services/port-security/proxmox-nodes";
import type { Db } from "@/server/db/client";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const server = z.object({ serverId: z.number().int().positive() });
const panelOf = (db: Db) => loadOutsideSystems(db, getEnv(), getSecretsKey());

/** Nodes, VMs and the port-security preview; "push now" goes through the switch's own queue. */
export const proxmoxRouter = createTRPCRouter({
  overview: viewerProcedure.query(async ({ ctx }) => getProxmoxOverview(ctx.db, await panelOf(ctx.db))),
  confirmNodeServer: adminProcedure
    .input(z.object({ node: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "a Proxmox node name"), serverId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => confirmNodeServer(ctx.db, { id: ctx.user.email || ctx.user.id }, input)),
  removeNodeServer: adminProcedure
    .input(z.object({ node: z.string().max(63) }))
    .mutation(({ ctx, input }) => removeNodeServer(ctx.db, { id: ctx.user.email || ctx.user.id }, input.node)),
  preview: viewerProcedure.input(server).query(async ({ ctx, input }) => previewServerPort(ctx.db, await panelOf(ctx.db), getSecretsKey(), input.serverId)),
  pushNow: adminProcedure
    .input(server)
    .mutation(async ({ ctx, input }) => pushServerPortNow(ctx.db, await panelOf(ctx.db), { id: ctx.user.email || ctx.user.id }, input.serverId)),
});
