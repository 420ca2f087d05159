import type { Task } from "graphile-worker";
import { taskPayloads } from "@/lib/jobs/payloads";
import { applyStripeEvent } from "@/server/services/billing/stripe";
import type { TaskDeps } from "../task-deps";

/** Applies one stored Stripe event (the webhook only stored it and answered); a rerun is a no-op. */
export function createApplyStripeEventTask(deps: TaskDeps): Task {
  return async (payload, helpers) => {
    const { eventId } = taskPayloads["apply-stripe-event"].parse(payload);
    const { status, note } = await applyStripeEvent(deps.db, eventId);
    if (status !== "applied" || note) helpers.logger.warn(`stripe event ${eventId}: ${status}${note ? ` (${note})` : ""}`);
  };
}
