import { z } from "zod";
import { getHostCapacity } from "@/server/services/inventory/host-capacity";
import { listNodeCapacityHistory } from "@/server/services/inventory/queries";
import { createTRPCRouter, viewerProcedure } from "../init";

const GiB = 2 ** 30;

export const hostsRouter = createTRPCRouter({
  capacity: viewerProcedure
    .input(
      z.object({
        want: z
          .object({ cpus: z.number().int().min(1).max(512), memGiB: z.number().min(0.25).max(8192), diskGiB: z.number().min(0).max(1_000_000) })
          .optional(),
      }),
    )
    .query(({ ctx, input }) =>
      getHostCapacity(ctx.db, input.want && { cpus: input.want.cpus, memBytes: input.want.memGiB * GiB, diskBytes: input.want.diskGiB * GiB }),
    ),
  capacityHistory: viewerProcedure.query(({ ctx }) => listNodeCapacityHistory(ctx.db)),
});
