import { z } from "zod";
import { hasAccess } from "@/lib/auth/roles";
import { auditTableSpec } from "@/lib/audit/audit-table";
import { tableInputSchema } from "@/lib/table/url-state";
import { listAudit } from "@/server/services/platform/audit";
import { listAuditPage } from "@/server/services/platform/queries";
import { createTRPCRouter, viewerProcedure } from "../init";

export const auditFilterSchema = z.object({
  actor: z.string().trim().max(200).optional(),
  entity: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const auditRouter = createTRPCRouter({
  // Viewers read the log, but billing figures only with the finance door (admins and finance).
  list: viewerProcedure
    .input(auditFilterSchema)
    .query(({ ctx, input }) => listAudit(ctx.db, { ...input, isBillingHidden: !hasAccess(ctx.user.roles, "finance") })),
  /** The console's audit table: a page of the view the link names, with the total. */
  table: viewerProcedure
    .input(tableInputSchema(auditTableSpec))
    .query(({ ctx, input }) => listAuditPage(ctx.db, { ...input, isBillingHidden: !hasAccess(ctx.user.roles, "finance") })),
});
