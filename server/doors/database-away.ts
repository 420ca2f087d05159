import { isDatabaseUnavailable, markDatabaseDown, markDatabaseUp, withDatabaseDeadline } from "@/server/db/availability";
import type { DoorAnswer } from "@/server/http/guards";
import { json } from "@/server/http/respond";

/**
 * How long a door waits for the database before answering 503: well inside the listener's 5 s
 * timeout (and Stripe's), so a delivery is either stored and answered 2xx, or refused with
 * Retry-After and sent again (a write that lands after the 503 is recognised as the same event).
 */
export const DOOR_DATABASE_WAIT_MS = 3_000;
/** What a 503 asks the sender to wait before trying again. */
export const DOOR_RETRY_AFTER_S = 5;

/** The answer while the database is away: never a bare 500, never a hang. */
export const databaseAwayAnswer = (): DoorAnswer => ({
  status: 503,
  body: { error: "the database is unavailable; the event was not stored: send it again" },
  headers: { "retry-after": String(DOOR_RETRY_AFTER_S) },
});

/**
 * A door's database write, bounded: its result, or `undefined` when the database is away (or did
 * not answer within DOOR_DATABASE_WAIT_MS), for the door to answer databaseAwayAnswer().
 */
export async function writeUnlessDatabaseAway<T>(write: Promise<T>): Promise<{ value: T } | undefined> {
  try {
    const value = await withDatabaseDeadline(write, DOOR_DATABASE_WAIT_MS);
    markDatabaseUp();
    return { value };
  } catch (e) {
    if (!isDatabaseUnavailable(e)) throw e;
    markDatabaseDown();
    return undefined;
  }
}

/** databaseAwayAnswer() as a web Response. */
export const databaseAwayResponse = (): Response => {
  const a = databaseAwayAnswer();
  return json(a.status, a.body, a.headers);
};
