import { getPortMap } from "@/server/services/port-security/port-map";
import { createTRPCRouter, viewerProcedure } from "../init";

export const portsRouter = createTRPCRouter({
  map: viewerProcedure.query(({ ctx }) => getPortMap(ctx.db, ctx.getSecretsKey())),
});
