import { getDatabase } from "@/server/db/client";
import { handleStripeWebhook } from "@/server/doors/stripe-webhook";
import { getEnv } from "@/server/env";
import { getLogger } from "@/server/logger";

export const dynamic = "force-dynamic";

/** Stripe's signed webhooks (the door checks the signature on the raw body first). */
export function POST(req: Request) {
  return handleStripeWebhook(req, {
    db: getDatabase().db,
    secret: getEnv().STRIPE_WEBHOOK_SECRET,
    log: (m) => getLogger().info({ door: "stripe-webhook" }, m),
  });
}
