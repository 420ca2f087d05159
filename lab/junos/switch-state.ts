import { cloneTree, createRoot, isSameTree, renderDisplaySet, setStatement, type Node } from "./config-tree";
import { tokenizeJunosLine } from "@/lib/junos/tokens";
import type { LabSwitchLinks } from "./links";

export type LabDialect = "non-els" | "els";

/** Faults a test can switch on per switch; each one is how a real switch has failed us. */
export interface LabSwitchFaults {
  refuseAuth?: boolean;
  /** Close the connection right after the K-th command of a session (1-based). */
  dropAfterCommand?: number;
  commitLatencyMs?: number;
  /** `commit check` / `commit` fail with this text, as the switch's own error. */
  commitError?: string;
  /** Statements someone else left in the candidate, applied when a session enters configuration. */
  candidateLeftovers?: string[];
  /** Another user holds the configuration database exclusively. */
  lockHeldBy?: string;
  /**
   * The SSH session drops at the first command starting with `command` (in any session): `before`
   * the switch runs it, or `after` it ran (the client never sees the answer). `times` sessions are
   * dropped (default 1), then the fault clears itself, as a flapping link does.
   */
  dropAt?: { command: string; phase: "before" | "after"; times?: number };
  /** The switch runs the first command starting with this, then never answers (a hung CLI). */
  stallAfter?: string;
  /**
   * The switch runs the first command starting with `command`, then answers only once `wait()`
   * resolves (a slow link, or a test doing something at that exact moment). Clears itself.
   */
  answerAfter?: { command: string; wait: () => Promise<void> };
  /** Operational commands (by prefix) the switch answers with these lines instead, e.g. an `error: …`. */
  commandOutput?: Record<string, string[]>;
}

export interface CommitRecord {
  at: Date;
  user: string;
  kind: "commit" | "confirmed" | "rollback-timeout";
  comment?: string;
  /** A confirmed commit's deadline: until then (and unless confirmed) it is pending. */
  rollbackAt?: Date;
}

/** The VLANs every lab switch defines; a binding on any other VLAN fails the commit, as on Junos. */
export const LAB_SITE_VLANS = [11, 13, 20, 99, 200] as const;

/** One simulated switch's state, shared by all its SSH sessions. */
export class LabSwitchState {
  active: Node;
  candidate: Node;
  lockHolder: { sessionId: number; user: string } | undefined;
  faults: LabSwitchFaults = {};
  /** What the switch hears over LLDP and bundles with LACP (set by the lab world; none by default). */
  links: LabSwitchLinks = { lldp: [] };
  commits: CommitRecord[] = [];
  /** Commands the switch ran and never answered (the `stallAfter` fault). */
  stalledCommands: string[] = [];
  sessionsOpened = 0;
  openSessions = 0;
  maxConcurrentSessions = 0;
  private confirmTimer: NodeJS.Timeout | undefined;
  private beforeConfirmed: Node | undefined;
  /** Committed configurations, newest last: `rollback N` loads the N-th before the active one. */
  private history: Node[] = [];

  constructor(
    readonly name: string,
    readonly dialect: LabDialect,
    initialConfig: string,
    /** Lab minutes run this many times faster than real ones (commit confirmed timers). */
    readonly timeScale: number,
    private readonly onCommit: (state: LabSwitchState) => void,
    /** How this switch names the site VLANs (default `VLAN.<id>`); real switches name them as they like. */
    vlanName: (id: number) => string = (id) => `VLAN.${id}`,
  ) {
    this.active = createRoot();
    // Every lab switch carries the lab site's VLANs, as a switch staged for a hosting floor does.
    for (const id of LAB_SITE_VLANS) setStatement(this.active, ["vlans", vlanName(id), "vlan-id", String(id)]);
    for (const line of initialConfig.split("\n")) {
      const t = tokenizeJunosLine(line.trim());
      if (t[0] === "set") setStatement(this.active, t.slice(1));
    }
    this.candidate = cloneTree(this.active);
  }

  get hasUncommittedChanges(): boolean {
    return !isSameTree(this.active, this.candidate);
  }

  get isAwaitingConfirmation(): boolean {
    return this.confirmTimer !== undefined;
  }

  displaySet(): string {
    return renderDisplaySet(this.active).join("\n");
  }

  /**
   * What Junos's commit check says about bindings on VLANs the candidate does not define. Read from
   * the lab's own rendering of its candidate with its own patterns (a binding names its VLAN as
   * `set vlans NAME vlan-id N` does), never with the controller's parser.
   */
  findUndefinedBindingVlans(): string[] {
    const lines = renderDisplaySet(this.candidate);
    const defined = new Set(lines.map((l) => /^set vlans (\S+) vlan-id \d+$/.exec(l)?.[1]).filter((v): v is string => v !== undefined));
    const errors: string[] = [];
    for (const l of lines) {
      const nonEls = /^set ethernet-switching-options secure-access-port interface (\S+) static-ip (\S+) (?:.* )?vlan (\S+)/.exec(l);
      const els = /^set vlans (\S+) forwarding-options dhcp-security group \S+ interface (\S+) static-ip (\S+)/.exec(l);
      const [iface, ip, vlan] = nonEls ? [nonEls[1]!, nonEls[2]!, nonEls[3]!] : els ? [els[2]!, els[3]!, els[1]!] : [];
      if (vlan && !defined.has(vlan)) errors.push(`[edit ... interface ${iface}]`, `  'static-ip ${ip}'`, `    VLAN ${vlan} is not defined`);
    }
    return errors;
  }

  commit(user: string, comment: string | undefined, confirmMinutes?: number): void {
    const previous = this.active;
    this.history.push(previous);
    if (this.history.length > 49) this.history.shift();
    this.active = cloneTree(this.candidate);
    if (confirmMinutes !== undefined) {
      // A pending confirmed commit keeps the state from before the first one, as Junos does.
      this.beforeConfirmed ??= previous;
      clearTimeout(this.confirmTimer);
      this.confirmTimer = setTimeout(() => this.rollBackUnconfirmed(), (confirmMinutes * 60_000) / this.timeScale);
      this.confirmTimer.unref();
    } else {
      this.confirm();
    }
    const at = new Date();
    const rollbackAt = confirmMinutes === undefined ? undefined : new Date(at.getTime() + (confirmMinutes * 60_000) / this.timeScale);
    this.commits.push({ at, user, kind: confirmMinutes === undefined ? "commit" : "confirmed", comment, rollbackAt });
    this.onCommit(this);
  }

  /** Lab minutes left before a pending confirmed commit rolls back (rounded up, as a countdown), or undefined. */
  minutesUntilRollback(now = new Date()): number | undefined {
    const last = this.commits.at(-1);
    if (!this.isAwaitingConfirmation || !last?.rollbackAt) return undefined;
    return Math.max(1, Math.ceil(((last.rollbackAt.getTime() - now.getTime()) * this.timeScale) / 60_000));
  }

  /**
   * `show system commit`: newest first, `N   date time UTC by USER via cli`, a pending confirmed
   * commit adding `commit confirmed, rollback in Nmins`, each comment on the next line, indented.
   * Shape from Juniper's "show system commit" reference (Sample Output: Rollback Pending) and the
   * issue's capture of a real EX; the automatic rollback's own entry (`by root via other`) is a
   * guess: the controller does not rely on its wording.
   */
  renderCommitHistory(now = new Date()): string[] {
    const lines: string[] = [];
    const newest = this.commits.length - 1;
    for (let i = newest; i >= 0 && newest - i < 50; i--) {
      const c = this.commits[i]!;
      const stamp = c.at.toISOString().replace("T", " ").slice(0, 19);
      const how = c.kind === "rollback-timeout" ? "other" : "cli";
      const pending =
        i === newest && c.kind === "confirmed" && this.isAwaitingConfirmation ? ` commit confirmed, rollback in ${this.minutesUntilRollback(now)}mins` : "";
      lines.push(`${String(newest - i).padEnd(4)}${stamp} UTC by ${c.user} via ${how}${pending}`);
      if (c.comment) lines.push(`    ${c.comment}`);
    }
    return lines;
  }

  /** `commit` or `commit check` after `commit confirmed` keeps the change. */
  confirm(): void {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
    this.beforeConfirmed = undefined;
  }

  /** `rollback N` in configuration mode: the candidate becomes the N-th previous configuration. */
  loadRollback(n: number): boolean {
    const tree = n === 0 ? this.active : this.history[this.history.length - n];
    if (!tree) return false;
    this.candidate = cloneTree(tree);
    return true;
  }

  private rollBackUnconfirmed(): void {
    if (!this.beforeConfirmed) return;
    this.history.push(this.active);
    this.active = this.beforeConfirmed;
    this.candidate = cloneTree(this.active);
    this.confirmTimer = undefined;
    this.beforeConfirmed = undefined;
    this.commits.push({ at: new Date(), user: "root", kind: "rollback-timeout" });
    this.onCommit(this);
  }

  stopTimers(): void {
    clearTimeout(this.confirmTimer);
  }
}
