import { describe, expect, it } from "vitest";
import { findRecheckState, isPastAbsoluteLimit, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from "./session-policy";

describe("session policy", () => {
  it("ends idle sessions after 30 minutes and every session after 12 hours", () => {
    expect(SESSION_IDLE_SECONDS).toBe(1800);
    expect(SESSION_ABSOLUTE_SECONDS).toBe(43_200);
  });

  it("refuses a session signed in more than 12 hours ago, however active", () => {
    const signedIn = 1_800_000_000;
    expect(isPastAbsoluteLimit(signedIn, signedIn + 11 * 3600)).toBe(false);
    expect(isPastAbsoluteLimit(signedIn, signedIn + 12 * 3600 + 1)).toBe(true);
  });

  it("asks the IdP again after 5 minutes, and ends a session left unchecked for over 15", () => {
    const checked = 1_800_000_000;
    expect(findRecheckState(checked, checked + 299)).toBe("fresh");
    expect(findRecheckState(checked, checked + 300)).toBe("due");
    expect(findRecheckState(checked, checked + 900)).toBe("due");
    expect(findRecheckState(checked, checked + 901)).toBe("expired");
  });
});
