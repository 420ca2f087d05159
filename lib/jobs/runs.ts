import { formatUtc } from "../time/format";

// What the Jobs page says about a finished run: how it ended, what started it, where its evidence is.
// Pure: the worker gathers the facts (payload, the job that queued it, the audit row written with it).

export type JobRunOutcome = "succeeded" | "failed" | "retried";
export type JobRunTriggerKind = "schedule" | "user" | "webhook" | "job" | "system";

export interface JobRunTrigger {
  kind: JobRunTriggerKind;
  ref: string | null;
}

export type JobRunEvidenceKind = "backup" | "push" | "collection" | "provisioning-job" | "usage-day" | "stripe-event" | "invoice";

export interface JobRunEvidence {
  kind: JobRunEvidenceKind;
  /** backup and push: "<switchId>/<id>"; usage-day: YYYY-MM-DD; the rest: the row's id. */
  id: string;
}

/** A failed attempt that graphile-worker will try again is "retried"; the last allowed one is "failed". */
export function findRunOutcome(hasThrown: boolean, attempt: number, maxAttempts: number): JobRunOutcome {
  if (!hasThrown) return "succeeded";
  return attempt >= maxAttempts ? "failed" : "retried";
}

/** Tasks queued by an outside system's call to us (the job exists because a webhook arrived). */
const WEBHOOK_TASKS: Record<string, (p: Record<string, unknown>) => string> = {
  "apply-stripe-event": (p) => `stripe event ${String(p.eventId)}`,
  "port-security-event": (p) => `tenantos event for server ${String(p.serverId)}`,
};

/**
 * What started a run, most specific first: graphile's cron (its payload carries `_cron`), another
 * job (it queued this one), a webhook, the person named in the payload or in the audit row written
 * in the transaction that queued the job, else the system (start-up, housekeeping).
 */
export function findRunTrigger(facts: {
  task: string;
  payload: unknown;
  parent: { jobId: number; task: string } | null;
  /** The actor of an audit row written in the transaction that queued the job, if any. */
  auditActor: string | null;
}): JobRunTrigger {
  const p = facts.payload && typeof facts.payload === "object" ? (facts.payload as Record<string, unknown>) : {};
  const cron = p._cron as { ts?: unknown } | undefined;
  // Our crontab's identifiers are the task names (workers/crontab.ts).
  if (cron && typeof cron.ts === "string") return { kind: "schedule", ref: `${facts.task} at ${formatUtc(cron.ts, "minute")}` };
  if (facts.parent) return { kind: "job", ref: `${facts.parent.task} #${facts.parent.jobId}` };
  const webhook = WEBHOOK_TASKS[facts.task];
  if (webhook) return { kind: "webhook", ref: webhook(p) };
  if (typeof p.requestedBy === "string") return { kind: "user", ref: p.requestedBy };
  if (facts.auditActor && !facts.auditActor.startsWith("system:")) return { kind: "user", ref: facts.auditActor };
  return { kind: "system", ref: facts.auditActor ?? (typeof p.reason === "string" ? p.reason : typeof p.trigger === "string" ? p.trigger : null) };
}

/** Evidence a task's payload names by itself (the task notes the rest as it produces it). */
export function findPayloadEvidence(task: string, payload: unknown): JobRunEvidence | undefined {
  const p = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
  if (task === "run-provisioning-job" && typeof p.jobId === "number") return { kind: "provisioning-job", id: String(p.jobId) };
  if (task === "apply-stripe-event" && typeof p.eventId === "string") return { kind: "stripe-event", id: p.eventId };
  return undefined;
}

/** Where the Jobs page links a run's evidence, and what the link says. */
export function describeRunEvidence(e: { kind: string; id: string }): { label: string; href: string | null } {
  const [a, b] = e.id.split("/");
  switch (e.kind) {
    case "backup":
      return { label: `backup #${b}`, href: `/api/switches/${a}/backups/${b}` };
    case "push":
      return { label: `push #${b} transcript`, href: `/it/switches/${a}` };
    case "collection":
      return { label: `collection #${e.id}`, href: "/it/hosts" };
    case "provisioning-job":
      return { label: `provisioning job #${e.id}`, href: `/it/provisioning/${e.id}` };
    case "usage-day":
      return { label: `usage of ${e.id}`, href: `/it/billing?month=${e.id.slice(0, 7)}` };
    case "invoice":
      return { label: `invoice #${e.id}`, href: `/it/billing#invoice-${e.id}` };
    case "stripe-event":
      return { label: `stripe event ${e.id}`, href: null };
    default:
      return { label: `${e.kind} ${e.id}`, href: null };
  }
}

/** Runs older than the retention are pruned; the cutoff is the one place that rule lives. */
export function computeRunCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}
