import { describe, expect, it } from "vitest";
import { computeBackoffMs, DatabaseWaitTimeout, getDatabaseDownSince, isDatabaseUnavailable, retryWhileDatabaseAway, waitForDatabase } from "./availability";

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
// drizzle wraps the driver's error: the code is on its cause.
const wrapped = (cause: Error) => Object.assign(new Error("Failed query: select 1"), { cause });

describe("telling a database that is away from a statement that is wrong", () => {
  it("connection losses, refusals, shutdowns and waits that ran out are 'away', wrapped or not", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "CONNECTION_CLOSED", "CONNECT_TIMEOUT", "57P01", "57P03", "08006"]) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
      expect(isDatabaseUnavailable(wrapped(withCode(code))), `wrapped ${code}`).toBe(true);
    }
    expect(isDatabaseUnavailable(new DatabaseWaitTimeout("no answer"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Error("x"), withCode("ECONNREFUSED")]))).toBe(true);
  });

  it("a syntax error, a constraint, a plain error are not", () => {
    for (const e of [withCode("42601"), wrapped(withCode("23505")), new Error("boom"), undefined, "text"]) expect(isDatabaseUnavailable(e)).toBe(false);
  });
});

describe("waiting for the database", () => {
  it("backs off from 250 ms up to its cap, with jitter of ±50 %", () => {
    expect(computeBackoffMs(0, 5_000, () => 0)).toBe(125);
    expect(computeBackoffMs(0, 5_000, () => 1)).toBe(375);
    expect(computeBackoffMs(20, 5_000, () => 0.5)).toBe(5_000);
  });

  it("probes until it answers, and remembers since when it was away until then", async () => {
    let calls = 0;
    const answered = await waitForDatabase(async () => {
      if (++calls < 3) {
        expect(calls === 1 || getDatabaseDownSince() !== null).toBe(true);
        throw withCode("ECONNREFUSED");
      }
    });
    expect(answered).toBe(true);
    expect(calls).toBe(3);
    expect(getDatabaseDownSince()).toBeNull();
  });

  it("runs the work again once the database is back; other errors are thrown at once", async () => {
    let runs = 0;
    const result = await retryWhileDatabaseAway(
      async () => {
        if (++runs === 1) throw wrapped(withCode("57P01"));
        return "done";
      },
      async () => {},
      { maxWaitMs: 5_000 },
    );
    expect({ result, runs }).toEqual({ result: "done", runs: 2 });
    await expect(
      retryWhileDatabaseAway(
        () => Promise.reject(withCode("42601", "syntax")),
        async () => {},
        { maxWaitMs: 5_000 },
      ),
    ).rejects.toThrow("syntax");
  });
});
