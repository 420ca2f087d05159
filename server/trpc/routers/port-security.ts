import { z } from "zod";
import { getEnv } from "@/server/env";
import { listPortSecurityEvents } from "@/server/services/port-security-events";
import { createTRPCRouter, viewerProcedure } from "../init";

export const portSecurityRouter = createTRPCRouter({
  events: viewerProcedure
    .input(z.object({ serverId: z.number().int().positive().optional(), status: z.enum(["received", "queued", "skipped", "done", "failed"]).optional(), limit: z.number().int().min(1).max(500).default(200) }))
    .query(({ ctx, input }) => listPortSecurityEvents(ctx.db, input)),
  /** What keeps automation from running at all, for a warning on the console. */
  status: viewerProcedure.query(() => {
    const env = getEnv();
    return { isDoorOpen: Boolean(env.PORT_SECURITY_EVENT_API_BEARER_TOKEN), isTenantosConfigured: Boolean(env.TENANTOS_URL), isProxmoxConfigured: Boolean(env.PROXMOX_URL) };
  }),
});
