import { areBindingsEqual, type PortBindings } from "@/lib/junos/bindings";
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
}

export type PushOutcome =
  | { status: "unchanged"; plan: PushPlan }
  | { status: "committed"; plan: PushPlan; compare: string; postChangeConfig: string };

const CHANGE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The push, every time: backup → configure exclusive → deletes/sets → show | compare (guarded) →
 * commit check → commit confirmed → read back and verify → commit. Before the confirmed commit
 * any failure rolls the candidate back; after it, a lost session leaves the switch to roll itself
 * back, and the retry converges.
 */
export async function pushBindings(session: JunosSession, opts: PushOptions): Promise<PushOutcome> {
  if (!CHANGE_ID.test(opts.changeId)) throw new JunosError("syntax", `change id ${JSON.stringify(opts.changeId)} is not a plain token`);
  const commitTimeoutMs = opts.commitTimeoutMs ?? 120_000;

  const backup = await session.run("show configuration | display set");
  if (!/^set /m.test(backup)) throw new JunosError("backup", "the switch returned an empty configuration: nothing was changed", backup);
  await opts.onBackup(backup);

  const plan = planPush({ dialect: opts.dialect, group: opts.group, current: parseBindingsFromDisplaySet(backup, opts.dialect), desired: opts.desired, definedVlans: parseDefinedVlans(backup) });
  if (plan.changes.length === 0) return { status: "unchanged", plan };

  await session.run("configure exclusive");
  let isConfirmedCommitDone = false;
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
    await session.run(`commit confirmed ${opts.confirmMinutes} comment ${opts.changeId}`, { timeoutMs: commitTimeoutMs });
    isConfirmedCommitDone = true;

    const postChangeConfig = await session.run("run show configuration | display set");
    const readBack = parseBindingsFromDisplaySet(postChangeConfig, opts.dialect);
    const wrong = plan.changes.filter(
      (c) => !areBindingsEqual(readBack.ports.get(c.interface) ?? [], c.desired) || (c.description && readBack.descriptions.get(physicalInterface(c.interface)) !== c.description.desired),
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
    if (!isConfirmedCommitDone) await abandonCandidate(session);
    throw e;
  }
}

async function abandonCandidate(session: JunosSession): Promise<void> {
  try {
    await session.run("rollback 0", { allowError: true });
    await session.run("exit", { allowError: true });
  } catch {
    // The session is gone: exclusive mode discards the candidate on disconnect anyway.
  }
}
