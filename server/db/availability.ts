// How a process rides out a database that went away (a restart, a failover, a full disk): tell a
// lost connection from a real error, wait for the database with backoff and jitter, bound how long
// a request waits for it, and remember since when it has been away (health shows it).

/**
 * Codes that mean "the database is not there right now", not "this statement is wrong":
 * sockets (node), postgres.js's own connection codes, and Postgres's shutdown/connection classes
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08 connection
 * exception, 53300 too_many_connections). https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** A wait for the database that ran out: answered like an unreachable database. */
export class DatabaseWaitTimeout extends Error {
  readonly code = "DATABASE_WAIT_TIMEOUT";
}

/** True when `e` (or an error it wraps: drizzle wraps the driver's) says the database is away. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (cur instanceof DatabaseWaitTimeout) return true;
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
    if (cur instanceof AggregateError && cur.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** Rejects with DatabaseWaitTimeout when `p` has not settled within `ms` (p itself goes on). */
export function withDatabaseDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseWaitTimeout(`the database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** The n-th wait (0-based): 250 ms × 1.6ⁿ capped at `maxMs`, times 0.5–1.5 so processes do not retry in step. */
export function computeBackoffMs(attempt: number, maxMs = 5_000, random: () => number = Math.random): number {
  return Math.min(250 * 1.6 ** attempt, maxMs) * (0.5 + random());
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Probes until the database answers (backoff with jitter). Resolves true once it does; false when
 * `signal` aborts or `maxWaitMs` passes first. `onWait` hears each failed probe (for the console).
 */
export async function waitForDatabase(
  probe: () => Promise<unknown>,
  opts: { signal?: AbortSignal; maxWaitMs?: number; maxBackoffMs?: number; onWait?: (e: unknown, attempt: number) => void } = {},
): Promise<boolean> {
  const until = opts.maxWaitMs === undefined ? Infinity : Date.now() + opts.maxWaitMs;
  for (let attempt = 0; !opts.signal?.aborted; attempt++) {
    try {
      await withDatabaseDeadline(probe(), 5_000);
      markDatabaseUp();
      return true;
    } catch (e) {
      markDatabaseDown();
      opts.onWait?.(e, attempt);
      const wait = computeBackoffMs(attempt, opts.maxBackoffMs);
      if (Date.now() + wait > until) return false;
      await sleep(wait, opts.signal);
    }
  }
  return false;
}

/**
 * Runs `fn` again each time it fails because the database is away, waiting for it in between,
 * for at most `maxWaitMs` in all; any other error, or the time running out, is thrown.
 */
export async function retryWhileDatabaseAway<T>(fn: () => Promise<T>, probe: () => Promise<unknown>, opts: { maxWaitMs: number }): Promise<T> {
  const until = Date.now() + opts.maxWaitMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      const left = until - Date.now();
      if (left <= 0 || !(await waitForDatabase(probe, { maxWaitMs: left }))) throw e;
    }
  }
}

// Per process: since when this process has seen the database away (null: it answers).
const state = globalThis as unknown as { sankofaDatabaseDownSince?: Date | null };

export function markDatabaseDown(at = new Date()): void {
  state.sankofaDatabaseDownSince ??= at;
}

export function markDatabaseUp(): void {
  state.sankofaDatabaseDownSince = null;
}

/** When this process first saw the database away in the current outage; null while it answers. */
export function getDatabaseDownSince(): Date | null {
  return state.sankofaDatabaseDownSince ?? null;
}
