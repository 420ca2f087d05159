import { z } from "zod";
import { panelConnectionSchema } from "@/lib/panel/connection";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getEnv } from "@/server/env";
import { deletePanelConnection, listPanelConnections, savePanelConnection, testPanelConnection } from "@/server/services/port-security/connections";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const kind = z.object({ kind: z.enum(["tenantos", "proxmox"]) });
const actorOf = (user: { email: string; id: string }) => ({ id: user.email || user.id });

/** Tenantos and Proxmox connections: secrets go in, never come out. */
export const panelRouter = createTRPCRouter({
  connections: viewerProcedure.query(({ ctx }) => listPanelConnections(ctx.db, getEnv())),
  saveConnection: adminProcedure
    .input(panelConnectionSchema)
    .mutation(({ ctx, input }) => savePanelConnection(ctx.db, getSecretsKey(), actorOf(ctx.user), input)),
  deleteConnection: adminProcedure.input(kind).mutation(({ ctx, input }) => deletePanelConnection(ctx.db, actorOf(ctx.user), input.kind)),
  testConnection: adminProcedure
    .input(kind.extend({ draft: panelConnectionSchema.optional() }))
    .mutation(({ ctx, input }) => testPanelConnection(ctx.db, getEnv(), getSecretsKey(), input.kind, input.draft)),
});
