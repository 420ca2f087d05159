import { z } from "zod";
import { settingsFormSchema } from "@/lib/settings/schema";
import { requestSettingsUpdate } from "@/server/services/platform/approvals";
import { getSettings } from "@/server/services/platform/settings";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

export const settingsRouter = createTRPCRouter({
  get: viewerProcedure.query(({ ctx }) => getSettings(ctx.db)),
  update: adminProcedure
    .input(settingsFormSchema.extend({ ticketId: z.string().trim().max(100).optional() }))
    .mutation(({ ctx, input: { ticketId, ...form } }) => requestSettingsUpdate(ctx.db, ctx.actor, form, ticketId || undefined)),
});
