import { createHash } from "node:crypto";
import { createLimiterState, findLockout, recordFailure, type LimiterState } from "@/lib/auth/sign-in-limits";

// The bootstrap admin's door: attempt limits per account and per client address, kept per web
// process (one process serves the console; more replicas would each count their own share).
const global = globalThis as unknown as { sankofaSignInLimits?: LimiterState };
const state = () => (global.sankofaSignInLimits ??= createLimiterState());

/** Sign-in bodies are a few fields: anything larger is refused before it is read. */
export const MAX_AUTH_BODY = 8 * 1024;

/** The client as the proxy in front says (first X-Forwarded-For hop), or "direct". */
export function clientOf(headers: { get(name: string): string | null }): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "direct";
}

/** What the audit log may say about who tried: the admin's email, never what was typed for an unknown account (it may be a password). */
export function describeAttemptedAccount(typed: string, isKnown: boolean): string {
  return isKnown ? typed.trim().toLowerCase() : `unknown account (sha256:${createHash("sha256").update(typed).digest("hex").slice(0, 12)})`;
}

const accountKey = (typed: string) => createHash("sha256").update(typed.trim().toLowerCase()).digest("hex");

/** Seconds to wait before this account or client may try again (0: go ahead). */
export function findSignInLockout(typedEmail: string, client: string, now = Date.now()): number {
  return findLockout(state(), { account: accountKey(typedEmail), client }, now);
}

/** Counts a failed attempt; returns how many failures to write in one audit row now (0: none yet). */
export function noteSignInFailure(typedEmail: string, client: string, now = Date.now()): number {
  return recordFailure(state(), { account: accountKey(typedEmail), client }, now);
}
