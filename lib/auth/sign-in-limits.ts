// Sign-in throttling, after OWASP's Authentication Cheat Sheet ("Account lockout": lock out is a
// denial of service anyone can cause; prefer growing delays, and count per account *and* source)
// and ASVS 2.2.1. Three counters, each forgotten a while after its last failure:
// - (account, client address): past a few free failures that pair waits, the wait doubling with each
//   further failure up to a cap. This is what stops one guesser; it never holds anyone else.
// - client address (any account): the same, for a client spraying many accounts.
// - account (every address): never shut — the account as a whole is only slowed (each attempt on it
//   answers a little later, a few seconds at most), so a guesser cannot lock IT out of its own
//   emergency account, while a guessing run spread over many addresses still gets slow.
// Pure: the caller keeps the state and passes the clock.

export interface LimitPolicy {
  /** A counter is forgotten this long after its last failure. */
  forgetMs: number;
  /** Failures one address may make on one account before it waits. */
  freePerPair: number;
  /** Failures one address may make over all accounts before it waits. */
  freePerClient: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures on an account, from anywhere, before its attempts are slowed. */
  slowAfterPerAccount: number;
  /** Added per failure past that, up to the cap. */
  slowStepMs: number;
  maxSlowMs: number;
}

export const SIGN_IN_LIMITS: LimitPolicy = {
  forgetMs: 60 * 60_000,
  freePerPair: 5,
  freePerClient: 30,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  slowAfterPerAccount: 10,
  slowStepMs: 250,
  maxSlowMs: 3_000,
};

interface Counter {
  last: number;
  failures: number;
  /** Failures not yet written to the audit log (one row per burst, with a count). */
  unaudited: number;
}

export interface LimiterState {
  counters: Map<string, Counter>;
}

export interface SignInKeys {
  account: string;
  client: string;
}

export interface SignInThrottle {
  /** Seconds before this address may try this account again (0: go ahead). Answered 429 + Retry-After. */
  waitSeconds: number;
  /** How long to hold this attempt before checking it (the account is under a spread-out guessing run). */
  slowdownMs: number;
}

export const createLimiterState = (): LimiterState => ({ counters: new Map() });

const live = (state: LimiterState, key: string, now: number, policy: LimitPolicy): Counter | undefined => {
  const c = state.counters.get(key);
  if (c && now - c.last >= policy.forgetMs) {
    state.counters.delete(key);
    return undefined;
  }
  return c;
};

const keysOf = (k: SignInKeys) => ({
  pair: `pair:${k.account}|${k.client}`,
  client: `client:${k.client}`,
  account: `account:${k.account}`,
});

/** Milliseconds left of a counter's wait: 0 within its free failures, then base · 2^(extra) from its last failure, capped. */
function findWaitMs(c: Counter | undefined, free: number, now: number, policy: LimitPolicy): number {
  if (!c || c.failures < free) return 0;
  const wait = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, c.failures - free));
  return Math.max(0, c.last + wait - now);
}

export function findThrottle(state: LimiterState, keys: SignInKeys, now: number, policy: LimitPolicy = SIGN_IN_LIMITS): SignInThrottle {
  const k = keysOf(keys);
  const waitMs = Math.max(
    findWaitMs(live(state, k.pair, now, policy), policy.freePerPair, now, policy),
    findWaitMs(live(state, k.client, now, policy), policy.freePerClient, now, policy),
  );
  const account = live(state, k.account, now, policy);
  const over = account ? account.failures - policy.slowAfterPerAccount + 1 : 0;
  return { waitSeconds: Math.ceil(waitMs / 1000), slowdownMs: over > 0 ? Math.min(policy.maxSlowMs, over * policy.slowStepMs) : 0 };
}

/**
 * Counts a failure. Returns the count to audit now, or 0: the first failure of an account's burst is
 * written at once, the rest folded into one row when the pair reaches its free failures, then one
 * row per further free-failures' worth.
 */
export function recordFailure(state: LimiterState, keys: SignInKeys, now: number, policy: LimitPolicy = SIGN_IN_LIMITS): number {
  if (state.counters.size >= MAX_COUNTERS) forgetOldCounters(state, now, policy);
  const k = keysOf(keys);
  for (const key of [k.pair, k.client, k.account]) {
    const c = live(state, key, now, policy) ?? { last: now, failures: 0, unaudited: 0 };
    c.failures++;
    c.unaudited++;
    c.last = now;
    state.counters.set(key, c);
  }
  const account = state.counters.get(k.account)!;
  if (account.failures === 1 || account.failures % policy.freePerPair === 0) {
    const toAudit = account.unaudited;
    account.unaudited = 0;
    return toAudit;
  }
  return 0;
}

/** Counters kept at most: a spray over many made-up accounts or addresses must not grow memory without end. */
const MAX_COUNTERS = 100_000;

function forgetOldCounters(state: LimiterState, now: number, policy: LimitPolicy): void {
  for (const [key, c] of state.counters) if (now - c.last >= policy.forgetMs) state.counters.delete(key);
  // Still full: the oldest-made counters go first (a Map keeps insertion order).
  for (const key of state.counters.keys()) {
    if (state.counters.size < MAX_COUNTERS * 0.9) break;
    state.counters.delete(key);
  }
}

/** A right password from this address: its own count starts again (the account's and the address's do not). */
export function recordSuccess(state: LimiterState, keys: SignInKeys): void {
  state.counters.delete(keysOf(keys).pair);
}
