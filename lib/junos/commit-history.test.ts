import { describe, expect, it } from "vitest";
import { findChangeFate, findPendingConfirm, parseCommitHistory, readPendingBanner } from "./commit-history";

// Shaped like Juniper's "show system commit" sample output (Rollback Pending), written by hand.
const PENDING = `0   2026-11-29 23:10:00 UTC by sankofa via cli commit confirmed, rollback in 4mins
    chg-1111
1   2026-11-29 23:05:12 UTC by noc-alice via cli
2   2026-11-28 08:00:00 UTC by sankofa via cli
    chg-0000
3   2026-11-27 07:59:40 UTC by sankofa via cli commit confirmed, rollback in 5mins
    chg-0000
`;

describe("reading the commit history", () => {
  it("finds the pending confirmed commit, its comment and minutes, only on the newest entry", () => {
    const entries = parseCommitHistory(PENDING);
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(entries[1]).toMatchObject({ user: "noc-alice", method: "cli", isConfirmed: false });
    expect(entries[1]!.comment).toBeUndefined();
    expect(findPendingConfirm(entries)).toEqual({ user: "sankofa", comment: "chg-1111", rollbackInMinutes: 4 });
    // The same history one commit later: nothing pending any more.
    const confirmed = parseCommitHistory(
      `0   2026-11-29 23:11:00 UTC by sankofa via cli\n    chg-1111-confirm\n${PENDING.replace(/^(\d+)/gm, (n) => String(Number(n) + 1))}`,
    );
    expect(findPendingConfirm(confirmed)).toBeUndefined();
  });

  it("tells what became of a change by its id", () => {
    const entries = parseCommitHistory(PENDING);
    expect(findChangeFate(entries, "chg-1111")).toBe("pending");
    expect(findChangeFate(entries, "chg-0000")).toBe("committed");
    // Older confirmed entries printed without the "commit confirmed" words change nothing.
    expect(findChangeFate(parseCommitHistory(PENDING.replace(" commit confirmed, rollback in 5mins", "")), "chg-0000")).toBe("committed");
    expect(findChangeFate(entries, "chg-2222")).toBe("absent");
    const rolledBack = parseCommitHistory(`0   2026-11-29 23:15:00 UTC by root via other\n${PENDING.replace(/^(\d+)/gm, (n) => String(Number(n) + 1))}`);
    expect(findChangeFate(rolledBack, "chg-1111")).toBe("rolled-back");
    const confirmedLater = parseCommitHistory(
      `0   2026-11-29 23:11:00 UTC by sankofa via cli\n    chg-1111-confirm\n${PENDING.replace(/^(\d+)/gm, (n) => String(Number(n) + 1))}`,
    );
    expect(findChangeFate(confirmedLater, "chg-1111")).toBe("committed");
  });

  it("reads configuration mode's pending banner", () => {
    expect(readPendingBanner("Entering configuration mode\n# commit confirmed will be rolled back in 3 minutes\n")).toBe(3);
    expect(readPendingBanner("warning: uncommitted changes will be discarded on exit\nEntering configuration mode")).toBeUndefined();
  });
});
