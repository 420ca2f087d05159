import Stripe from "stripe";

// Stripe through its official library: the webhook signature check (HMAC-SHA256 of "{t}.{raw body}",
// constant-time compare, 300 s tolerance: https://docs.stripe.com/webhooks#verify-manually) and
// the events list for re-syncing (https://docs.stripe.com/api/events/list: newest first, the last
// 30 days only).

/** Stripe's own default, stated here so a library change cannot widen the replay window silently. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The event in a signed body, or throws (Stripe's StripeSignatureVerificationError) when the
 * header is missing, malformed, signed with another secret, or older than the tolerance.
 */
export function verifyStripeSignature(rawBody: Buffer, header: string, secret: string, receivedAt?: number): unknown {
  return Stripe.webhooks.constructEvent(rawBody, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, receivedAt);
}

export interface StripeEventsApi {
  /** Events created at or after `since` (Unix seconds) of the given types, oldest first. */
  listEventsSince(since: number, types: readonly string[]): Promise<unknown[]>;
}

export function createStripeClient(opts: { secretKey: string; apiUrl?: string }): StripeEventsApi {
  const url = opts.apiUrl ? new URL(opts.apiUrl) : undefined;
  const stripe = new Stripe(opts.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(url ? { host: url.hostname, port: url.port || (url.protocol === "http:" ? 80 : 443), protocol: url.protocol === "http:" ? "http" : "https" } : {}),
  });
  return {
    async listEventsSince(since, types) {
      const out: unknown[] = [];
      // The library pages with starting_after; a hard cap keeps a runaway list bounded.
      for await (const event of stripe.events.list({ created: { gte: since }, types: [...types], limit: 100 })) {
        out.push(event);
        if (out.length >= 10_000) break;
      }
      return out.reverse();
    },
  };
}
