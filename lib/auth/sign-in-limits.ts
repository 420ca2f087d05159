// Sign-in attempt limits (OWASP ASVS 2.2.1): failures are counted per account and per client
// address in a window; past the limit the door answers 429 until the window has passed. Pure:
// the caller keeps the state and passes the clock.

export interface LimitPolicy {
  windowMs: number;
  maxPerAccount: number;
  maxPerClient: number;
}

export const SIGN_IN_LIMITS: LimitPolicy = { windowMs: 15 * 60_000, maxPerAccount: 5, maxPerClient: 30 };

interface Counter {
  since: number;
  failures: number;
  /** Failures not yet written to the audit log (one row per burst, with a count). */
  unaudited: number;
}

export interface LimiterState {
  counters: Map<string, Counter>;
}

export const createLimiterState = (): LimiterState => ({ counters: new Map() });

const live = (state: LimiterState, key: string, now: number, windowMs: number): Counter | undefined => {
  const c = state.counters.get(key);
  if (c && now - c.since >= windowMs) {
    state.counters.delete(key);
    return undefined;
  }
  return c;
};

/** Seconds to wait when either the account or the client is past its limit, else 0. */
export function findLockout(state: LimiterState, keys: { account: string; client: string }, now: number, policy: LimitPolicy = SIGN_IN_LIMITS): number {
  const waits = [
    [`account:${keys.account}`, policy.maxPerAccount],
    [`client:${keys.client}`, policy.maxPerClient],
  ].map(([key, max]) => {
    const c = live(state, key as string, now, policy.windowMs);
    return c && c.failures >= (max as number) ? Math.ceil((c.since + policy.windowMs - now) / 1000) : 0;
  });
  return Math.max(...waits);
}

/**
 * Counts a failure. Returns the count to audit now, or 0: the first failure of a burst is written
 * at once, the rest are folded into one row when the limit is reached (then nothing until the window ends).
 */
export function recordFailure(state: LimiterState, keys: { account: string; client: string }, now: number, policy: LimitPolicy = SIGN_IN_LIMITS): number {
  let toAudit = 0;
  for (const [key, max] of [
    [`account:${keys.account}`, policy.maxPerAccount],
    [`client:${keys.client}`, policy.maxPerClient],
  ] as const) {
    const c = live(state, key, now, policy.windowMs) ?? { since: now, failures: 0, unaudited: 0 };
    c.failures++;
    c.unaudited++;
    state.counters.set(key, c);
    if (key.startsWith("account:") && (c.failures === 1 || c.failures === max)) {
      toAudit = c.unaudited;
      c.unaudited = 0;
    }
  }
  return toAudit;
}
