// The conditions worth a message, computed from the same observations `/api/metrics` exports.
// The thresholds here are the ones `deploy/prometheus/alerts.yml` writes in PromQL (the alerts test
// reads them from this file's constants), so a team with Prometheus and a team with only the
// built-in notifier are told about the same things.

export const COLLECTORS = ["proxmox", "unifi", "npm", "proxmox-network", "tenantos", "usage", "stripe"] as const;
export type CollectorName = (typeof COLLECTORS)[number];

/** How old a collector's last success may be before it is stale (its schedule plus slack). */
export const COLLECTOR_MAX_AGE_SECONDS: Record<CollectorName, number> = {
  // Inventory is weekly by default; the console already calls a snapshot over 8 days stale.
  proxmox: 8 * 86_400,
  // The edge collectors run every quarter-hour; the console calls them stale after 2 hours.
  unifi: 2 * 3_600,
  npm: 2 * 3_600,
  "proxmox-network": 2 * 3_600,
  // Usage (and the Tenantos bandwidth reader with it) runs nightly at 01:20 UTC.
  tenantos: 26 * 3_600,
  usage: 26 * 3_600,
  // Stripe pushes events when something happens: silence is not staleness, only a failure is.
  stripe: 0,
};

/** An approval older than this is worth a message: someone is waiting for a second admin. */
export const APPROVAL_WAITING_ALERT_SECONDS = 86_400;
/** A backup may be this late past its schedule's interval before it is overdue (a slow night, a retry). */
export const BACKUP_GRACE_SECONDS = 3_600;

/** Push error kinds that mean "could not talk to the switch" rather than "the switch refused". */
export const UNREACHABLE_ERROR_KINDS = ["connection", "timeout"] as const;

export interface SwitchObservation {
  name: string;
  /** The newest finished push's status, or null when it never pushed. */
  lastPushStatus: string | null;
  lastPushErrorKind: string | null;
  hostKeyState: "unknown" | "unverified" | "approved" | "mismatch";
  /** Age of the newest backup, or of the switch itself when it has none yet (seconds). */
  backupAgeSeconds: number;
  lastBackupAt: Date | null;
  driftPorts: number;
  duplicateAddresses: number;
  /** Addresses of VMs Tenantos does not know that the last push bound (the unknown-VM setting allows it). */
  unknownVmAddresses: number;
}

export interface CollectorObservation {
  collector: CollectorName;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
}

export interface ConditionInputs {
  now: Date;
  switches: SwitchObservation[];
  collectors: CollectorObservation[];
  backupIntervalSeconds: number;
  approvals: { waiting: number; oldestWaitingSeconds: number };
}

export type ConditionKind =
  | "push-failing"
  | "switch-unreachable"
  | "host-key-changed"
  | "backup-overdue"
  | "drift"
  | "collector-stale"
  | "duplicate-address"
  | "unknown-vm"
  | "approval-waiting";

export interface Condition {
  /** Stable per condition and subject: the dedupe key of its messages. */
  key: string;
  kind: ConditionKind;
  subject: string | null;
  summary: string;
}

export function isPushUnreachable(s: Pick<SwitchObservation, "lastPushStatus" | "lastPushErrorKind">): boolean {
  return s.lastPushStatus === "failed" && (UNREACHABLE_ERROR_KINDS as readonly string[]).includes(s.lastPushErrorKind ?? "");
}

/** Failed for a reason other than reaching the switch (refused login, commit refused, guard, verify…). */
export function isPushFailing(s: Pick<SwitchObservation, "lastPushStatus" | "lastPushErrorKind">): boolean {
  return s.lastPushStatus === "failed" && !isPushUnreachable(s) && s.lastPushErrorKind !== "host-key";
}

/** Stale: a failure after the last success, or a success older than the collector's schedule allows. */
export function isCollectorStale(c: CollectorObservation, now: Date): boolean {
  const success = c.lastSuccessAt?.getTime() ?? 0;
  const failure = c.lastFailureAt?.getTime() ?? 0;
  if (failure > success) return true;
  const maxAge = COLLECTOR_MAX_AGE_SECONDS[c.collector];
  return maxAge > 0 && success > 0 && (now.getTime() - success) / 1000 > maxAge;
}

export function isBackupOverdue(s: Pick<SwitchObservation, "backupAgeSeconds">, backupIntervalSeconds: number): boolean {
  return s.backupAgeSeconds > backupIntervalSeconds + BACKUP_GRACE_SECONDS;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Every condition that holds now, in a stable order. */
export function computeConditions(inputs: ConditionInputs): Condition[] {
  const out: Condition[] = [];
  const add = (kind: ConditionKind, subject: string | null, summary: string) =>
    out.push({ key: subject === null ? kind : `${kind}:${subject}`, kind, subject, summary });
  for (const s of [...inputs.switches].sort((a, b) => a.name.localeCompare(b.name))) {
    if (isPushFailing(s)) add("push-failing", s.name, `Switch ${s.name}: the last push failed (${s.lastPushErrorKind ?? "error"})`);
    if (isPushUnreachable(s)) add("switch-unreachable", s.name, `Switch ${s.name} is unreachable: the last push could not talk to it (${s.lastPushErrorKind})`);
    if (s.hostKeyState === "mismatch")
      add("host-key-changed", s.name, `Switch ${s.name} presented a host key that is not the approved one: nothing is pushed until an admin checks it`);
    if (isBackupOverdue(s, inputs.backupIntervalSeconds))
      add(
        "backup-overdue",
        s.name,
        `Switch ${s.name}: ${s.lastBackupAt ? `the newest backup is ${Math.round(s.backupAgeSeconds / 3600)} h old` : "no backup yet"}, longer than the schedule allows`,
      );
    if (s.driftPorts > 0) add("drift", s.name, `Switch ${s.name}: ${plural(s.driftPorts, "managed port")} differ from what they should hold`);
    if (s.duplicateAddresses > 0)
      add("duplicate-address", s.name, `Switch ${s.name}: ${plural(s.duplicateAddresses, "address", "addresses")} claimed twice, left out of the last push`);
    if (s.unknownVmAddresses > 0)
      add(
        "unknown-vm",
        s.name,
        `Switch ${s.name}: ${plural(s.unknownVmAddresses, "address", "addresses")} of VMs Tenantos does not know bound by the last push (from their Proxmox config)`,
      );
  }
  for (const c of [...inputs.collectors].sort((a, b) => a.collector.localeCompare(b.collector))) {
    if (isCollectorStale(c, inputs.now))
      add(
        "collector-stale",
        c.collector,
        (c.lastFailureAt?.getTime() ?? 0) > (c.lastSuccessAt?.getTime() ?? 0)
          ? `Collector ${c.collector}: the last run failed, so its data is not current`
          : `Collector ${c.collector}: no success for longer than its schedule allows`,
      );
  }
  if (inputs.approvals.oldestWaitingSeconds > APPROVAL_WAITING_ALERT_SECONDS)
    add("approval-waiting", null, `${plural(inputs.approvals.waiting, "change")} waiting for a second admin, the oldest for over a day`);
  return out;
}

export interface ConditionTransitions {
  started: Condition[];
  /** Keys of active conditions that no longer hold. */
  cleared: string[];
}

/** What changed since the conditions announced so far: one message per start, one per clear, none for a condition that goes on. */
export function diffConditions(activeKeys: Iterable<string>, current: Condition[]): ConditionTransitions {
  const active = new Set(activeKeys);
  const now = new Set(current.map((c) => c.key));
  return { started: current.filter((c) => !active.has(c.key)), cleared: [...active].filter((k) => !now.has(k)).sort() };
}

/**
 * The rate limit: at most `limit` messages to one receiver within `windowMs`. Past it, messages
 * are recorded as suppressed (shown in the console), never queued: a flapping switch must not
 * bury a channel. Tests are sent regardless.
 */
export function isWithinRateLimit(sentAt: Date[], now: Date, limit: number, windowMs: number): boolean {
  return sentAt.filter((t) => now.getTime() - t.getTime() < windowMs).length < limit;
}
export const RATE_LIMIT_PER_RECEIVER = 30;
export const RATE_LIMIT_WINDOW_MS = 3_600_000;

/**
 * The longest gap between two runs of a schedule over its next `runs` runs: a weekday-only
 * schedule's backup is not overdue on a Sunday. `nextRuns` is the schedule's (lib/settings/cron).
 */
export function computeLongestGapSeconds(runs: Date[]): number {
  let longest = 0;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, (runs[i]!.getTime() - runs[i - 1]!.getTime()) / 1000);
  return longest;
}
