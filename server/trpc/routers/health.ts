import { checkHealth } from "@/server/services/platform/health";
import { createTRPCRouter, viewerProcedure } from "../init";

export const healthRouter = createTRPCRouter({
  get: viewerProcedure.query(({ ctx }) => checkHealth(ctx.db)),
});
