import { z } from "zod";
import { receiverInputSchema } from "@/lib/observability/receivers";
import { deleteReceiver, listDeliveries, listReceivers, requestTestNotification, saveReceiver } from "@/server/services/observability/notifications";
import { adminProcedure, createTRPCRouter } from "../init";

const id = z.object({ id: z.number().int().positive() });
// The union's members each take the receiver's id (absent: a new one) and whether it is on.
const saveInput = z.intersection(receiverInputSchema, z.object({ id: z.number().int().positive().optional(), isEnabled: z.boolean().optional() }));

/** Settings › Notifications: receivers (secrets go in, never come out), "send a test", the latest messages. Admins only: receivers hold credentials. */
export const notificationsRouter = createTRPCRouter({
  receivers: adminProcedure.query(({ ctx }) => listReceivers(ctx.db)),
  deliveries: adminProcedure.query(({ ctx }) => listDeliveries(ctx.db)),
  saveReceiver: adminProcedure.input(saveInput).mutation(({ ctx, input }) => saveReceiver(ctx.db, ctx.getSecretsKey(), ctx.actor, input)),
  deleteReceiver: adminProcedure.input(id).mutation(({ ctx, input }) => deleteReceiver(ctx.db, ctx.actor, input.id)),
  sendTest: adminProcedure.input(id).mutation(({ ctx, input }) => requestTestNotification(ctx.db, ctx.actor, input.id)),
});
