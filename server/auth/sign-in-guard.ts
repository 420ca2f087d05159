import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createLimiterState, findThrottle, recordFailure, recordSuccess, type LimiterState } from "@/lib/auth/sign-in-limits";
import type { Db } from "@/server/db/client";
import { findRequestClient } from "@/server/http/client-address";
import { json } from "@/server/http/respond";
import { recordAuthEvent } from "@/server/services/platform/auth-events";
import type { createBootstrapAdmin } from "./bootstrap-admin";

type BootstrapAdmin = ReturnType<typeof createBootstrapAdmin>;

// The bootstrap admin's door: growing waits per (account, client address) and per address, and a
// slowdown (never a lockout) per account; kept per web process (one process serves the console;
// more replicas would each count their own share).
const global = globalThis as unknown as { sankofaSignInLimits?: LimiterState };
const state = () => (global.sankofaSignInLimits ??= createLimiterState());

/** Sign-in bodies are a few fields: anything larger is refused before it is read. */
export const MAX_AUTH_BODY = 8 * 1024;

/** The client: the socket's peer, or what trusted proxies (TRUSTED_PROXIES) say it was. */
export function clientOf(headers: { get(name: string): string | null }): string {
  return findRequestClient(headers);
}

/** What the audit log may say about who tried: the admin's email, never what was typed for an unknown account (it may be a password). */
export function describeAttemptedAccount(typed: string, isKnown: boolean): string {
  return isKnown ? typed.trim().toLowerCase() : `unknown account (sha256:${createHash("sha256").update(typed).digest("hex").slice(0, 12)})`;
}

const accountKey = (typed: string) => createHash("sha256").update(typed.trim().toLowerCase()).digest("hex");

/** How long this address must wait for this account, and how much to slow the attempt. */
export function findSignInThrottle(typedEmail: string, client: string, now = Date.now()) {
  return findThrottle(state(), { account: accountKey(typedEmail), client }, now);
}

/** Counts a failed attempt; returns how many failures to write in one audit row now (0: none yet). */
export function noteSignInFailure(typedEmail: string, client: string, now = Date.now()): number {
  return recordFailure(state(), { account: accountKey(typedEmail), client }, now);
}

export function noteSignInSuccess(typedEmail: string, client: string): void {
  recordSuccess(state(), { account: accountKey(typedEmail), client });
}

/**
 * Before a credentials sign-in is looked at: 413 for an oversized body, 429 with Retry-After while
 * this address waits for this account; under a spread-out guessing run the attempt is held a moment.
 * Null: go on to the password check.
 */
export async function guardCredentialsSignIn(req: Request): Promise<Response | null> {
  if (Number(req.headers.get("content-length") ?? "0") > MAX_AUTH_BODY) return json(413, { error: `sign-in body is over ${MAX_AUTH_BODY} bytes` });
  const form = await req
    .clone()
    .formData()
    .catch(() => undefined);
  const { waitSeconds, slowdownMs } = findSignInThrottle(String(form?.get("email") ?? ""), clientOf(req.headers));
  if (waitSeconds > 0)
    return json(429, { error: `too many failed sign-ins from this address: try again in ${waitSeconds} s` }, { "retry-after": String(waitSeconds) });
  if (slowdownMs > 0) await sleep(slowdownMs);
  return null;
}

/**
 * The bootstrap admin's password check with its bookkeeping: a right password clears this address's
 * count; a wrong one is counted, and audited once per burst (who, how many, from which address).
 */
export async function verifyBootstrapSignIn(db: Db, admin: BootstrapAdmin, attempt: { email: string; password: string; client: string }): Promise<boolean> {
  if (await admin.verify(attempt.email, attempt.password)) {
    noteSignInSuccess(attempt.email, attempt.client);
    return true;
  }
  const count = noteSignInFailure(attempt.email, attempt.client);
  if (count > 0) {
    await recordAuthEvent(db, describeAttemptedAccount(attempt.email, admin.isAccount(attempt.email)) || "anonymous", "auth.sign_in_failed", {
      provider: "credentials",
      failures: count,
      client: attempt.client,
    });
  }
  return false;
}
