import { z } from "zod";
import { getAutomationStatus } from "@/server/services/port-security/connections";
import { eventTableSpec } from "@/lib/port-security/event-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { listPortSecurityEvents } from "@/server/services/port-security/events";
import { listEventPage, listSwitchChoices } from "@/server/services/port-security/queries";
import { explainIpBinding } from "@/server/services/port-security/explain";
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
  /** The console's events table: a page of the view the link names, with the total. */
  eventTable: viewerProcedure.input(tableInputSchema(eventTableSpec)).query(({ ctx, input }) => listEventPage(ctx.db, input)),
  switchChoices: viewerProcedure.query(({ ctx }) => listSwitchChoices(ctx.db)),
  /** What keeps automation from running at all, for a warning on the console. */
  status: viewerProcedure.query(({ ctx }) => getAutomationStatus(ctx.db, ctx.env)),
  /** "Why is (or isn't) this IP bound?": the chain from Tenantos to what the switch holds. */
  why: viewerProcedure
    .input(z.object({ ip: z.string().trim().min(1, "give an IP address").max(64) }))
    .query(async ({ ctx, input }) => explainIpBinding(ctx.db, await ctx.getOutsideSystems(), ctx.getSecretsKey(), input.ip)),
});
