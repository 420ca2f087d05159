import { createHmac, randomUUID } from "node:crypto";

// Posting one JSON message to a receiver's URL. A receiver that hangs or refuses only fails this
// delivery's job (retried with backoff by the runner); it never holds anything else up.

export const NOTIFY_TIMEOUT_MS = 10_000;

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/, the spec's "Signature scheme"):
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed by the secret
 * (a `whsec_` prefix is the spec's base64 form; any other secret is used as its UTF-8 bytes).
 */
export function signWebhookBody(secret: string, id: string, timestamp: number, body: string): string {
  const key = secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** POSTs `payload` as JSON; throws on a non-2xx answer, naming the status (never the URL, which may be a secret). */
export async function postJson(url: string, payload: unknown, opts: { secret?: string; id?: string; timeoutMs?: number } = {}): Promise<void> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "sankofa-it-notifier" };
  if (opts.secret) {
    const id = opts.id ?? randomUUID();
    const timestamp = Math.floor(Date.now() / 1000);
    Object.assign(headers, {
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signWebhookBody(opts.secret, id, timestamp, body),
    });
  }
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers, body, redirect: "error", signal: AbortSignal.timeout(opts.timeoutMs ?? NOTIFY_TIMEOUT_MS) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new Error(`the receiver did not answer (${cause ?? (e as Error).name})`, { cause: e });
  }
  // Drain the body so the connection is released.
  const text = await res.text().catch(() => "");
  if (!res.ok) throw new Error(`the receiver answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
}
