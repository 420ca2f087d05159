import { z } from "zod";
import { importDeclared, importDeclaredFromPaths, planDeclared, planDeclaredFromPaths } from "@/server/services/inventory/declared-import";
import { getInventoryAlerts, getInventoryDrift, getInventoryStatus } from "@/server/services/inventory/queries";
import { requestInventoryRefresh } from "@/server/services/inventory/jobs";
import { limitDriftLists } from "@/lib/inventory/report";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

// 2 MB per file: a real ip-addresses.conf is a few KB; this only stops a wrong upload.
const file = z.object({ content: z.string().max(2_000_000, "the file is over 2 MB"), name: z.string().trim().max(200).optional() }).optional();

export const inventoryRouter = createTRPCRouter({
  status: viewerProcedure.query(async ({ ctx }) => {
    const { snapshot: _snapshot, ...status } = await getInventoryStatus(ctx.db);
    return status;
  }),
  /** `limitPerKind`: a page's cut of each list (the counts stay whole); without it, every row as drift.json has them. */
  drift: viewerProcedure.input(z.object({ limitPerKind: z.number().int().min(1).max(10_000).optional() }).optional()).query(async ({ ctx, input }) => {
    const drift = await getInventoryDrift(ctx.db, { secretsKey: ctx.getSecretsKey() });
    return input?.limitPerKind ? limitDriftLists(drift, input.limitPerKind) : drift;
  }),
  /** The dashboard's line: duplicate guest IPs and how fresh that is. */
  alerts: viewerProcedure.query(({ ctx }) => getInventoryAlerts(ctx.db)),
  refresh: adminProcedure.mutation(({ ctx }) => requestInventoryRefresh(ctx.db, ctx.actor, "manual")),
  /** What the import would do to IPAM; the console shows it and applies with its digest. */
  planDeclared: adminProcedure.input(z.object({ conf: file, doc: file })).mutation(({ ctx, input }) => planDeclared(ctx.db, input)),
  importDeclared: adminProcedure
    .input(z.object({ conf: file, doc: file, ipamDigest: z.string().max(128).optional() }))
    .mutation(({ ctx, input }) => importDeclared(ctx.db, ctx.actor, input)),
  /** Which declared files the deployment names, for the "import from files" button. */
  declaredPaths: viewerProcedure.query(({ ctx }) => ({ conf: ctx.env.DECLARED_IP_ADDRESSES_CONF_PATH ?? null, doc: ctx.env.DECLARED_VMID_DOC_PATH ?? null })),
  planFromPaths: adminProcedure.mutation(({ ctx }) =>
    planDeclaredFromPaths(ctx.db, { conf: ctx.env.DECLARED_IP_ADDRESSES_CONF_PATH, doc: ctx.env.DECLARED_VMID_DOC_PATH }),
  ),
  importFromPaths: adminProcedure
    .input(z.object({ ipamDigest: z.string().max(128).optional() }).optional())
    .mutation(({ ctx, input }) =>
      importDeclaredFromPaths(ctx.db, ctx.actor, { conf: ctx.env.DECLARED_IP_ADDRESSES_CONF_PATH, doc: ctx.env.DECLARED_VMID_DOC_PATH }, input?.ipamDigest),
    ),
});
