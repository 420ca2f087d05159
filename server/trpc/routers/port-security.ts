import { z } from "zod";
import { getAutomationStatus } from "@/server/services/port-security/connections";
import { listPortSecurityEvents } from "@/server/services/port-security/events";
import { createTRPCRouter, viewerProcedure } from "../init";

export const portSecurityRouter = createTRPCRouter({
  events: viewerProcedure
    .input(
      z.object({
        serverId: z.number().int().positive().optional(),
        status: z.enum(["received", "queued", "skipped", "done", "failed"]).optional(),
        action: z.enum(["ip_assigned", "ip_removed", "server_deleted", "server_provisioned"]).optional(),
        limit: z.number().int().min(1).max(500).default(200),
      }),
    )
    .query(({ ctx, input }) => listPortSecurityEvents(ctx.db, input)),
  /** What keeps automation from running at all, for a warning on the console. */
  status: viewerProcedure.query(({ ctx }) => getAutomationStatus(ctx.db, ctx.env)),
});
