import { cloneTree, createRoot, isSameTree, renderDisplaySet, setStatement, type Node } from "./config-tree";
import { parseBindingsFromDisplaySet, parseDefinedVlans } from "@/lib/junos/config-parse";
import { tokenizeJunosLine } from "@/lib/junos/tokens";

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
}

export interface CommitRecord {
  at: Date;
  user: string;
  kind: "commit" | "confirmed" | "rollback-timeout";
  comment?: string;
}

/** The VLANs every lab switch defines; a binding on any other VLAN fails the commit, as on Junos. */
export const LAB_SITE_VLANS = [11, 13, 20, 99, 200] as const;

/** One simulated switch's state, shared by all its SSH sessions. */
export class LabSwitchState {
  active: Node;
  candidate: Node;
  lockHolder: { sessionId: number; user: string } | undefined;
  faults: LabSwitchFaults = {};
  commits: CommitRecord[] = [];
  sessionsOpened = 0;
  openSessions = 0;
  maxConcurrentSessions = 0;
  private confirmTimer: NodeJS.Timeout | undefined;
  private beforeConfirmed: Node | undefined;

  constructor(
    readonly name: string,
    readonly dialect: LabDialect,
    initialConfig: string,
    /** Lab minutes run this many times faster than real ones (commit confirmed timers). */
    readonly timeScale: number,
    private readonly onCommit: (state: LabSwitchState) => void,
  ) {
    this.active = createRoot();
    // Every lab switch carries the lab site's VLANs, as a switch staged for a hosting floor does.
    for (const id of LAB_SITE_VLANS) setStatement(this.active, ["vlans", `VLAN.${id}`, "vlan-id", String(id)]);
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

  /** What Junos's commit check says about bindings on VLANs the candidate does not define. */
  findUndefinedBindingVlans(): string[] {
    const text = renderDisplaySet(this.candidate).join("\n");
    const defined = parseDefinedVlans(text);
    const errors: string[] = [];
    for (const [iface, bindings] of parseBindingsFromDisplaySet(text, this.dialect).ports) {
      for (const b of bindings) if (!defined.has(b.vlan)) errors.push(`[edit ... interface ${iface}]`, `  'static-ip ${b.ip}'`, `    VLAN ${b.vlan} is not defined`);
    }
    return errors;
  }

  commit(user: string, comment: string | undefined, confirmMinutes?: number): void {
    const previous = this.active;
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
    this.commits.push({ at: new Date(), user, kind: confirmMinutes === undefined ? "commit" : "confirmed", comment });
    this.onCommit(this);
  }

  /** `commit` or `commit check` after `commit confirmed` keeps the change. */
  confirm(): void {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
    this.beforeConfirmed = undefined;
  }

  private rollBackUnconfirmed(): void {
    if (!this.beforeConfirmed) return;
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
