/**
 * Reading `show system commit`, so a run knows whether a confirmed commit waits on the switch
 * before it changes anything. Junos lists the last 50 commits newest first:
 *
 *   0   2026-11-29 23:10:00 UTC by sankofa via cli commit confirmed, rollback in 5mins
 *       chg-6f1c…
 *   1   2026-11-29 23:05:00 UTC by sankofa via cli
 *
 * (Juniper, "show system commit", Sample Output "Rollback Pending"; a comment is on its own
 * indented line under its entry.) Only the newest entry can be pending: any later commit confirms it.
 */
export interface CommitEntry {
  index: number;
  /** As the switch printed it (its own clock and zone). */
  at: string;
  user: string;
  /** `cli`, `netconf`, `junoscript`, `other`, … */
  method: string;
  isConfirmed: boolean;
  /** Minutes left before the automatic rollback, when the switch printed them. */
  rollbackInMinutes?: number;
  comment?: string;
}

export interface PendingConfirm {
  user: string;
  comment?: string;
  /** Upper bound on the wait: the switch rolls back within this many minutes unless confirmed. */
  rollbackInMinutes: number;
}

const ENTRY = /^\s*(\d+)\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: \S+)?) by (\S+) via (\S+)(.*)$/;
const CONFIRMED = /commit confirmed, rollback in (\d+)\s*mins?/;
/** What Junos prints on entering configuration mode while a confirmed commit is pending. */
const PENDING_BANNER = /commit confirmed will be rolled back in (\d+) minutes?/;

export function parseCommitHistory(text: string): CommitEntry[] {
  const entries: CommitEntry[] = [];
  for (const line of text.split("\n")) {
    const m = ENTRY.exec(line);
    if (m) {
      const confirmed = CONFIRMED.exec(m[5]!);
      entries.push({
        index: Number(m[1]),
        at: m[2]!,
        user: m[3]!,
        method: m[4]!,
        isConfirmed: confirmed !== null || /commit confirmed/.test(m[5]!),
        ...(confirmed ? { rollbackInMinutes: Number(confirmed[1]) } : {}),
      });
      continue;
    }
    const last = entries.at(-1);
    // A comment line: indented text under an entry (Junos quotes nothing; keep the first token run).
    if (last && last.comment === undefined && /^\s{2,}\S/.test(line)) last.comment = line.trim();
  }
  return entries.sort((a, b) => a.index - b.index);
}

/** The pending confirmed commit, when the newest entry is one. */
export function findPendingConfirm(entries: CommitEntry[]): PendingConfirm | undefined {
  const newest = entries[0];
  if (!newest || newest.index !== 0 || newest.rollbackInMinutes === undefined) return undefined;
  return { user: newest.user, rollbackInMinutes: newest.rollbackInMinutes, ...(newest.comment ? { comment: newest.comment } : {}) };
}

/** Minutes left, when configuration mode's banner says a confirmed commit is pending. */
export function readPendingBanner(output: string): number | undefined {
  const m = PENDING_BANNER.exec(output);
  return m ? Number(m[1]) : undefined;
}

export type ChangeFate =
  /** Our confirmed commit is the pending one: it can still be confirmed. */
  | "pending"
  /** A plain commit (or our `-confirm`) carries the change id: the change stands. */
  | "committed"
  /** Our confirmed commit is in the history, nothing confirmed it, and it is no longer pending. */
  | "rolled-back"
  /** The change id is not in the history: the change never reached a commit. */
  | "absent";

/**
 * What became of one of our changes, from the history alone. Our protocol writes the change id as
 * the comment of both commits: `commit confirmed N comment <id>`, then `commit comment <id>` (or
 * `<id>-confirm` when a later run confirmed it after a lost session). So two entries (or a
 * `-confirm`) mean it stands, one entry that is no longer pending means the switch rolled it back.
 * Counting entries does not depend on whether Junos keeps the "commit confirmed" words on older
 * entries, which its documentation does not show.
 */
export function findChangeFate(entries: CommitEntry[], changeId: string): ChangeFate {
  const mine = entries.filter((e) => e.comment === changeId);
  if (entries.some((e) => e.comment === `${changeId}-confirm`) || mine.length >= 2) return "committed";
  if (mine.length === 0) return "absent";
  const pending = findPendingConfirm(entries);
  return pending?.comment === changeId ? "pending" : "rolled-back";
}
