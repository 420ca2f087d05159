import { areBindingsEqual, type PortBindings } from "@/lib/junos/bindings";
import { findPendingConfirm, parseCommitHistory, readPendingBanner, type CommitEntry, type PendingConfirm } from "@/lib/junos/commit-history";
import { findForeignChanges } from "@/lib/junos/compare-guard";
import { parseBindingsFromDisplaySet, parseDefinedVlans } from "@/lib/junos/config-parse";
import type { JunosDialect } from "@/lib/junos/dialect";
import { JunosError } from "@/lib/junos/errors";
import { planPush, type PushPlan } from "@/lib/junos/plan";
import { physicalInterface } from "@/lib/junos/values";
import type { JunosSession } from "./session";

export interface PushOptions {
  dialect: JunosDialect;
  /** ELS dhcp-security group our bindings go under. */
  group: string;
  desired: PortBindings[];
  /** Ties the trigger, the backup, the diff and the commit comment together. */
  changeId: string;
  confirmMinutes: number;
  commitTimeoutMs?: number;
  /** Awaited before anything changes: the caller stores the backup first. */
  onBackup(configDisplaySet: string): Promise<void>;
  /** The switch's commit history, read at the start of this session (`readCommitHistory`). */
  history: CommitEntry[];
  /**
   * Our earlier changes on this switch whose end we never saw (lost session, killed worker): a
   * pending confirmed commit carrying one of these ids is ours to confirm.
   */
  resumableChangeIds: string[];
  /** Awaited once `commit confirmed` succeeded: from here a lost session leaves the change on trial. */
  onConfirmedCommit?(): Promise<void>;
}

export type PushOutcome =
  | { status: "unchanged"; plan: PushPlan }
  | { status: "committed"; plan: PushPlan; compare: string; postChangeConfig: string }
  /** An earlier run's confirmed commit was pending and held exactly the plan: this run confirmed it. */
  | { status: "confirmed-after-reconnect"; plan: PushPlan; confirmedChangeId: string };

const CHANGE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Every run asks first: is a confirmed commit waiting on the switch, and whose is it? */
export async function readCommitHistory(session: JunosSession): Promise<CommitEntry[]> {
  return parseCommitHistory(await session.run("show system commit"));
}

function pendingConfirmError(pending: PendingConfirm, why: string): JunosError {
  const whose = pending.comment ? `${pending.comment} by ${pending.user}` : `a commit by ${pending.user} without comment`;
  return new JunosError(
    "pending-confirm",
    `a confirmed commit (${whose}) is pending on the switch and ${why}: nothing is stacked on it; the next run waits for its rollback (within ${pending.rollbackInMinutes} min) and plans again`,
    undefined,
    pending.rollbackInMinutes,
  );
}

/**
 * The push, every time: commit history → backup → configure exclusive → deletes/sets →
 * show | compare (guarded) → commit check → commit confirmed → read back and verify → commit.
 * Before the confirmed commit any failure rolls the candidate back. After it, a lost session leaves
 * the change on trial: the next run finds it pending in `show system commit` and confirms it when
 * it is ours and the switch holds the plan, or waits for the switch's rollback and plans again.
 * (`show configuration` shows a tentatively committed configuration as active: reading it alone
 * would call the port in sync and let the timer roll it back.)
 */
export async function pushBindings(session: JunosSession, opts: PushOptions): Promise<PushOutcome> {
  if (!CHANGE_ID.test(opts.changeId)) throw new JunosError("syntax", `change id ${JSON.stringify(opts.changeId)} is not a plain token`);
  const commitTimeoutMs = opts.commitTimeoutMs ?? 120_000;
  const pending = findPendingConfirm(opts.history);

  const backup = await session.run("show configuration | display set");
  if (!/^set /m.test(backup)) throw new JunosError("backup", "the switch returned an empty configuration: nothing was changed", backup);
  await opts.onBackup(backup);

  const plan = planPush({
    dialect: opts.dialect,
    group: opts.group,
    current: parseBindingsFromDisplaySet(backup, opts.dialect),
    desired: opts.desired,
    definedVlans: parseDefinedVlans(backup),
  });
  if (pending) {
    const isOurs = pending.comment !== undefined && CHANGE_ID.test(pending.comment) && opts.resumableChangeIds.includes(pending.comment);
    if (!isOurs) throw pendingConfirmError(pending, "it is not one of ours");
    if (plan.changes.length > 0)
      throw pendingConfirmError(pending, `the switch does not hold what the plan wants now (${plan.changes.map((c) => c.interface).join(", ")})`);
    await confirmPending(session, pending.comment!, commitTimeoutMs);
    return { status: "confirmed-after-reconnect", plan, confirmedChangeId: pending.comment! };
  }
  if (plan.changes.length === 0) return { status: "unchanged", plan };

  const entered = await session.run("configure exclusive");
  // Someone committed confirmed between the history and now: `commit check` would confirm it.
  const minutesLeft = readPendingBanner(entered);
  if (minutesLeft !== undefined) {
    await abandonCandidate(session);
    throw pendingConfirmError({ user: "another session", rollbackInMinutes: minutesLeft }, "appeared while this run started");
  }
  let isConfirmedCommitDone = false;
  let isConfirmSent = false;
  try {
    for (const change of plan.changes) for (const command of change.commands) await session.run(command);

    const compare = await session.run("show | compare");
    const foreign = findForeignChanges(compare, {
      dialect: opts.dialect,
      interfaces: plan.changes.map((c) => c.interface),
      describedInterfaces: plan.changes.filter((c) => c.description).map((c) => physicalInterface(c.interface)),
    });
    if (foreign.length) throw new JunosError("guard", `the candidate changes more than the plan: ${foreign.slice(0, 5).join("; ")}`, compare);

    await session.run("commit check", { timeoutMs: commitTimeoutMs });
    isConfirmSent = true;
    await session.run(`commit confirmed ${opts.confirmMinutes} comment ${opts.changeId}`, { timeoutMs: commitTimeoutMs });
    isConfirmedCommitDone = true;
    await opts.onConfirmedCommit?.();

    const postChangeConfig = await session.run("run show configuration | display set");
    const readBack = parseBindingsFromDisplaySet(postChangeConfig, opts.dialect);
    const wrong = plan.changes.filter(
      (c) =>
        !areBindingsEqual(readBack.ports.get(c.interface) ?? [], c.desired) ||
        (c.description && readBack.descriptions.get(physicalInterface(c.interface)) !== c.description.desired),
    );
    if (wrong.length) {
      // Put the previous configuration back now rather than wait for the confirm timer.
      await session.run("rollback 1");
      await session.run(`commit comment ${opts.changeId}-revert`, { timeoutMs: commitTimeoutMs });
      throw new JunosError("verify", `after commit, ${wrong.map((c) => c.interface).join(", ")} did not hold the planned bindings: reverted`);
    }
    await session.run(`commit comment ${opts.changeId}`, { timeoutMs: commitTimeoutMs });
    await session.run("exit");
    return { status: "committed", plan, compare, postChangeConfig };
  } catch (e) {
    // No answer to `commit confirmed` (or later): the switch may have committed on trial.
    if (isConfirmSent && e instanceof JunosError && e.isRetryable) e.isChangeOnTrial = true;
    if (!isConfirmedCommitDone) await abandonCandidate(session);
    throw e;
  }
}

/** An empty commit confirms the pending one; its comment ties it to the change it confirms. */
async function confirmPending(session: JunosSession, changeId: string, commitTimeoutMs: number): Promise<void> {
  await session.run("configure exclusive");
  try {
    await session.run(`commit comment ${changeId}-confirm`, { timeoutMs: commitTimeoutMs });
  } catch (e) {
    await abandonCandidate(session);
    throw e;
  }
  await session.run("exit");
}

async function abandonCandidate(session: JunosSession): Promise<void> {
  try {
    await session.run("rollback 0", { allowError: true });
    await session.run("exit", { allowError: true });
  } catch {
    // The session is gone: exclusive mode discards the candidate on disconnect anyway.
  }
}
