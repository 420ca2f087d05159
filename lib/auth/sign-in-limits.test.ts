import { describe, expect, it } from "vitest";
import { createLimiterState, findLockout, recordFailure } from "./sign-in-limits";

const policy = { windowMs: 60_000, maxPerAccount: 3, maxPerClient: 5 };
const keys = (account: string, client = "10.0.0.1") => ({ account, client });

describe("sign-in limits", () => {
  it("locks an account after its failures, for what is left of the window, then lets it try again", () => {
    const s = createLimiterState();
    for (let i = 0; i < 3; i++) {
      expect(findLockout(s, keys("a"), 1_000, policy)).toBe(0);
      recordFailure(s, keys("a"), 1_000 + i, policy);
    }
    expect(findLockout(s, keys("a"), 2_000, policy)).toBe(59);
    // Another account from another client is not held.
    expect(findLockout(s, keys("b", "10.0.0.2"), 2_000, policy)).toBe(0);
    expect(findLockout(s, keys("a"), 61_000, policy)).toBe(0);
  });

  it("locks a client that sprays many accounts", () => {
    const s = createLimiterState();
    for (let i = 0; i < 5; i++) recordFailure(s, keys(`user${i}`), 1_000, policy);
    expect(findLockout(s, keys("someone-else"), 1_500, policy)).toBeGreaterThan(0);
  });

  it("audits one row for the start of a burst and one, with the count, when the limit is reached", () => {
    const s = createLimiterState();
    const audited = [1, 2, 3].map((i) => recordFailure(s, keys("a"), i, policy));
    expect(audited).toEqual([1, 0, 2]);
  });
});
