import { stripeEventSchema } from "@/lib/billing/stripe-events";
import { verifyStripeSignature } from "@/server/connectors/stripe/client";
import type { Db } from "@/server/db/client";
import { databaseAwayResponse, writeUnlessDatabaseAway } from "./database-away";
import { readBytesLimited } from "@/server/http/read-body";
import { json } from "@/server/http/respond";
import { countDoorRejection } from "@/server/metrics";
import { acceptStripeEvent } from "@/server/services/billing/stripe";

const DOOR = "stripe-webhook";
// Stripe's event payloads are a few KB; a subscription with many items stays well under this.
const MAX_BODY = 512 * 1024;

/**
 * `POST /api/billing/stripe`. The signature is checked on the raw bytes before anything else is
 * read from them (no JSON parse, nothing stored, on a bad one: 400). A good event is stored with
 * its job in one transaction and answered 200 at once; the job applies it.
 */
export async function handleStripeWebhook(req: Request, deps: { db: Db; secret: string | undefined; log?: (msg: string) => void }): Promise<Response> {
  if (!deps.secret) {
    countDoorRejection(DOOR, "unavailable");
    return json(503, { error: "Stripe webhooks are off: STRIPE_WEBHOOK_SECRET is not set" });
  }
  const raw = await readBytesLimited(req, MAX_BODY);
  if (raw === undefined) {
    countDoorRejection(DOOR, "size");
    return json(413, { error: `body is over ${MAX_BODY} bytes` });
  }
  const header = req.headers.get("stripe-signature");
  if (!header) {
    countDoorRejection(DOOR, "auth");
    return json(400, { error: "no Stripe-Signature header" });
  }
  let verified: unknown;
  try {
    verified = verifyStripeSignature(raw, header, deps.secret);
  } catch (e) {
    countDoorRejection(DOOR, "auth");
    // Stripe's message says which check failed (no matching signature, timestamp outside the tolerance).
    return json(400, { error: `signature check failed: ${(e as Error).message.split("\n")[0]}` });
  }
  const event = stripeEventSchema.safeParse(verified);
  if (!event.success) {
    countDoorRejection(DOOR, "body");
    return json(400, { error: `not a Stripe event: ${event.error.issues.map((i) => i.path.join(".") || i.message).join(", ")}` });
  }
  // Stripe retries a 503 with its own backoff (for up to three days); the store is idempotent by event id.
  const stored = await writeUnlessDatabaseAway(acceptStripeEvent(deps.db, event.data));
  if (!stored) return databaseAwayResponse();
  const result = stored.value;
  if (result.isIgnored && !result.isDuplicate) deps.log?.(`stripe event ${event.data.id} (${event.data.type}) acknowledged, not used`);
  return json(200, { received: true, duplicate: result.isDuplicate, ignored: result.isIgnored });
}
