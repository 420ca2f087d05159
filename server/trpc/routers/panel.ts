import { z } from "zod";
import { PANEL_CONNECTION_KINDS, panelConnectionSchema } from "@/lib/panel/connection";
import { deletePanelConnection, listPanelConnections, savePanelConnection, testPanelConnection } from "@/server/services/port-security/connections";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const kind = z.object({ kind: z.enum(PANEL_CONNECTION_KINDS) });

/** Tenantos, Proxmox, UniFi and NPM connections: secrets go in, never come out. */
export const panelRouter = createTRPCRouter({
  connections: viewerProcedure.query(({ ctx }) => listPanelConnections(ctx.db, ctx.env)),
  saveConnection: adminProcedure.input(panelConnectionSchema).mutation(({ ctx, input }) => savePanelConnection(ctx.db, ctx.getSecretsKey(), ctx.actor, input)),
  deleteConnection: adminProcedure.input(kind).mutation(({ ctx, input }) => deletePanelConnection(ctx.db, ctx.actor, input.kind)),
  testConnection: adminProcedure
    .input(kind.extend({ draft: panelConnectionSchema.optional() }))
    .mutation(({ ctx, input }) => testPanelConnection(ctx.db, ctx.env, ctx.getSecretsKey(), input.kind, input.draft)),
});
