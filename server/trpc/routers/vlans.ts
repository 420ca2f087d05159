import { z } from "zod";
import { createVlanMove, deleteVlanMove, setVlanMoveStatus, updateVlanMove } from "@/server/services/ipam/vlan-moves";
import { getVlanPlan } from "@/server/services/ipam/vlan-plan";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../init";

const role = z.string().trim().max(64).nullish();
const wave = z.number().int().nullish();

export const vlansRouter = createTRPCRouter({
  plan: viewerProcedure.query(({ ctx }) => getVlanPlan(ctx.db)),
  createMove: adminProcedure
    .input(
      z.object({
        hostname: z.string().trim().max(253),
        vmid: z.number().int().positive().nullish(),
        targetAddress: z.string().max(64),
        targetVid: z.number().int(),
        fromRole: role,
        toRole: role,
        wave,
        note: z.string().trim().max(500).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => createVlanMove(ctx.db, ctx.actor, input)),
  updateMove: adminProcedure
    .input(z.object({ id: z.number().int().positive(), fromRole: role, toRole: role, wave, note: z.string().trim().max(500).nullish() }))
    .mutation(({ ctx, input: { id, ...patch } }) => updateVlanMove(ctx.db, ctx.actor, id, patch)),
  setMoveStatus: adminProcedure
    .input(z.object({ id: z.number().int().positive(), status: z.enum(["planned", "in_progress", "done"]) }))
    .mutation(({ ctx, input }) => setVlanMoveStatus(ctx.db, ctx.actor, input.id, input.status)),
  deleteMove: adminProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ ctx, input }) => deleteVlanMove(ctx.db, ctx.actor, input.id)),
});
