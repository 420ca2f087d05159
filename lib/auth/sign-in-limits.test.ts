import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLimiterState, findThrottle, recordFailure, recordSuccess, type LimitPolicy } from "./sign-in-limits";

const policy: LimitPolicy = {
  forgetMs: 60 * 60_000,
  freePerPair: 3,
  freePerClient: 10,
  baseDelayMs: 10_000,
  maxDelayMs: 80_000,
  slowAfterPerAccount: 6,
  slowStepMs: 100,
  maxSlowMs: 500,
};
const keys = (account: string, client = "10.0.0.1") => ({ account, client });

describe("sign-in throttling", () => {
  it("makes one address wait on one account after its free failures, the wait doubling up to the cap", () => {
    const s = createLimiterState();
    const waits: number[] = [];
    let now = 1_000;
    for (let i = 0; i < 8; i++) {
      recordFailure(s, keys("a"), now, policy);
      waits.push(findThrottle(s, keys("a"), now, policy).waitSeconds);
      now += waits.at(-1)! * 1000;
    }
    expect(waits).toEqual([0, 0, 10, 20, 40, 80, 80, 80]);
  });

  it("never holds the account for another address: five wrong passwords from one address leave another free", () => {
    const s = createLimiterState();
    for (let i = 0; i < 5; i++) recordFailure(s, keys("admin", "127.0.0.2"), 1_000 + i, policy);
    expect(findThrottle(s, keys("admin", "127.0.0.2"), 2_000, policy).waitSeconds).toBeGreaterThan(0);
    expect(findThrottle(s, keys("admin", "127.0.0.3"), 2_000, policy)).toEqual({ waitSeconds: 0, slowdownMs: 0 });
  });

  it("over any run of failures from many addresses, the account is only slowed, by at most the cap, and a fresh address never waits", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5_000 })), { maxLength: 200 }), (attempts) => {
        const s = createLimiterState();
        let now = 0;
        for (const [client, step] of attempts) {
          now += step;
          recordFailure(s, keys("admin", `10.0.0.${client}`), now, policy);
        }
        const fresh = findThrottle(s, keys("admin", "192.0.2.1"), now, policy);
        expect(fresh.waitSeconds).toBe(0);
        expect(fresh.slowdownMs).toBeLessThanOrEqual(policy.maxSlowMs);
        expect(fresh.slowdownMs > 0).toBe(attempts.length >= policy.slowAfterPerAccount);
      }),
      { seed: 2424 },
    );
  });

  it("makes an address spraying many accounts wait, on any account", () => {
    const s = createLimiterState();
    for (let i = 0; i < 10; i++) recordFailure(s, keys(`user${i}`), 1_000, policy);
    expect(findThrottle(s, keys("someone-else"), 1_500, policy).waitSeconds).toBeGreaterThan(0);
    expect(findThrottle(s, keys("someone-else", "10.0.0.2"), 1_500, policy).waitSeconds).toBe(0);
  });

  it("a right password clears that address's count, and counts are forgotten a while after the last failure", () => {
    const s = createLimiterState();
    for (let i = 0; i < 3; i++) recordFailure(s, keys("a"), 1_000, policy);
    recordSuccess(s, keys("a"));
    expect(findThrottle(s, keys("a"), 1_000, policy).waitSeconds).toBe(0);
    for (let i = 0; i < 3; i++) recordFailure(s, keys("b"), 1_000, policy);
    expect(findThrottle(s, keys("b"), 1_000 + policy.forgetMs, policy).waitSeconds).toBe(0);
  });

  it("audits one row for the start of a burst and one, with the count, at each free-failures' worth", () => {
    const s = createLimiterState();
    const audited = [1, 2, 3, 4, 5, 6].map((i) => recordFailure(s, keys("a"), i, policy));
    expect(audited).toEqual([1, 0, 2, 0, 0, 3]);
  });
});
