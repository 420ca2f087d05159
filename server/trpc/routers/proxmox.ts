import { z } from "zod";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getEnv } from "@/server/env";
import { loadPanelDeps } from "@/server/services/panel-connections";
import { previewServerPort, pushServerPortNow } from "@/server/services/port-security-preview";
import { getProxmoxOverview } from "@/server/services/proxmox-overview";
import type { Db } from "@/server/db/client";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const server = z.object({ serverId: z.number().int().positive() });
const panelOf = (db: Db) => loadPanelDeps(db, getEnv(), getSecretsKey());

/** Nodes, VMs and the port-security preview; "push now" goes through the switch's own queue. */
export const proxmoxRouter = createTRPCRouter({
  overview: viewerProcedure.query(async ({ ctx }) => getProxmoxOverview(await panelOf(ctx.db))),
  preview: viewerProcedure.input(server).query(async ({ ctx, input }) => previewServerPort(ctx.db, await panelOf(ctx.db), getSecretsKey(), input.serverId)),
  pushNow: adminProcedure.input(server).mutation(async ({ ctx, input }) => pushServerPortNow(ctx.db, await panelOf(ctx.db), { id: ctx.user.email || ctx.user.id }, input.serverId)),
});
