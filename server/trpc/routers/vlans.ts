import { getVlanPlan } from "@/server/services/ipam/vlan-plan";
import { createTRPCRouter, viewerProcedure } from "../init";

export const vlansRouter = createTRPCRouter({
  plan: viewerProcedure.query(({ ctx }) => getVlanPlan(ctx.db)),
});
