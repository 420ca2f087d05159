import { sql } from "drizzle-orm";
import {
  COLLECTORS,
  computeLongestGapSeconds,
  type CollectorName,
  type CollectorObservation,
  type ConditionInputs,
  type SwitchObservation,
} from "@/lib/observability/conditions";
import { nextCronRuns } from "@/lib/settings/cron";
import type { DbOrTx } from "@/server/db/client";
import { getSettings } from "@/server/services/platform/settings";

// Everything /api/metrics and the notifier read, one query per family. Each is computed from the
// rows the loops already write, at read time, so any number of web and worker processes agree
// without shared memory, and a restart loses nothing. Labels are bounded: a switch's name, a
// collector, a status from a fixed list; never an address, a MAC or an event id.

export interface SwitchFacts extends SwitchObservation {
  manualChanges: number;
}

/** Per switch: the newest finished push, the newest backup, manual changes, drift, duplicates and unknown VMs bound. One query. */
export async function listSwitchFacts(db: DbOrTx): Promise<SwitchFacts[]> {
  const rows = await db.execute<{
    name: string;
    hostKeyState: SwitchObservation["hostKeyState"];
    lastPushStatus: string | null;
    lastPushErrorKind: string | null;
    lastBackupAt: Date | string | null;
    backupAgeSeconds: string;
    manualChanges: string;
    driftPorts: string;
    duplicateAddresses: string;
    unknownVmAddresses: string;
  }>(sql`
    select s.name, s.host_key_state as "hostKeyState",
      lp.status as "lastPushStatus", lp.error_kind as "lastPushErrorKind",
      lb.taken_at as "lastBackupAt",
      extract(epoch from now() - coalesce(lb.taken_at, s.created_at)) as "backupAgeSeconds",
      (select count(*) from switch_backups b where b.switch_id = s.id and b.is_manual_change) as "manualChanges",
      coalesce((select count(*) from switch_drift_reports r, jsonb_array_elements(r.ports) p
        where r.switch_id = s.id and r.error is null and (p->>'isManaged')::boolean and p->>'unknownReason' is null
          and (jsonb_array_length(p->'missing') > 0 or jsonb_array_length(p->'extra') > 0)), 0) as "driftPorts",
      (select count(distinct substring(x->>'reason' from '^IP (\\S+) is claimed by'))
        from jsonb_array_elements(coalesce(lp.skipped, '[]'::jsonb)) x where x->>'reason' like 'IP % is claimed by %') as "duplicateAddresses",
      (select count(*) from jsonb_array_elements(coalesce(lp.flags, '[]'::jsonb)) f where f->>'kind' = 'unknown-to-tenantos') as "unknownVmAddresses"
    from switches s
    left join lateral (select p.status, p.error_kind, p.skipped, p.flags from switch_pushes p
      where p.switch_id = s.id and p.status <> 'running' order by p.started_at desc limit 1) lp on true
    left join lateral (select b.taken_at from switch_backups b where b.switch_id = s.id order by b.taken_at desc limit 1) lb on true
    order by s.name`);
  return rows.map((r) => ({
    name: r.name,
    hostKeyState: r.hostKeyState,
    lastPushStatus: r.lastPushStatus,
    lastPushErrorKind: r.lastPushErrorKind,
    lastBackupAt: r.lastBackupAt === null ? null : new Date(r.lastBackupAt),
    backupAgeSeconds: Number(r.backupAgeSeconds),
    manualChanges: Number(r.manualChanges),
    driftPorts: Number(r.driftPorts),
    duplicateAddresses: Number(r.duplicateAddresses),
    unknownVmAddresses: Number(r.unknownVmAddresses),
  }));
}

export const PUSH_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300] as const;

export interface PushCounts {
  switch: string;
  outcome: string;
  count: number;
}
export interface PushDurations {
  switch: string;
  /** Cumulative counts per bucket of PUSH_DURATION_BUCKETS, then the sum and count of finished pushes. */
  buckets: number[];
  sum: number;
  count: number;
}

/** Pushes by switch and outcome, and the durations of finished ones (one aggregate over switch_pushes). */
export async function countPushes(db: DbOrTx): Promise<{ counts: PushCounts[]; durations: PushDurations[] }> {
  const rows = await db.execute<Record<string, string | null>>(sql`
    select s.name as switch, p.status as outcome, count(*) as n,
      coalesce(sum(extract(epoch from p.finished_at - p.started_at)), 0) as sum,
      count(p.finished_at) as finished,
      ${sql.join(
        PUSH_DURATION_BUCKETS.map(
          (b, i) => sql`count(*) filter (where p.finished_at - p.started_at <= ${`${b} seconds`}::interval) as ${sql.identifier(`b${i}`)}`,
        ),
        sql`, `,
      )}
    from switch_pushes p join switches s on s.id = p.switch_id
    group by s.name, p.status order by s.name, p.status`);
  const counts: PushCounts[] = [];
  const bySwitch = new Map<string, PushDurations>();
  for (const r of rows) {
    counts.push({ switch: r.switch!, outcome: r.outcome!, count: Number(r.n) });
    if (r.outcome === "running") continue;
    const d = bySwitch.get(r.switch!) ?? { switch: r.switch!, buckets: PUSH_DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
    PUSH_DURATION_BUCKETS.forEach((_, i) => (d.buckets[i]! += Number(r[`b${i}`])));
    d.sum += Number(r.sum);
    d.count += Number(r.finished);
    bySwitch.set(r.switch!, d);
  }
  return { counts, durations: [...bySwitch.values()] };
}

export const BINDING_LATENCY_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 900, 3600] as const;

/**
 * Tenantos event received → its port clean after a push, over every event ever done: the buckets
 * the `done` trigger counts (migration observability_triggers), summed (a few rows per switch).
 */
export async function measureBindingLatency(db: DbOrTx): Promise<{ buckets: number[]; sum: number; count: number }> {
  const rows = await db.execute<{ bucket: number; n: string; sum: string }>(sql`
    select bucket, sum(count) as n, sum(sum_seconds) as sum from binding_latency_buckets group by bucket order by bucket`);
  const perBucket = new Map(rows.map((r) => [Number(r.bucket), Number(r.n)]));
  let cumulative = 0;
  const buckets = BINDING_LATENCY_BUCKETS.map((_, i) => (cumulative += perBucket.get(i) ?? 0));
  const count = rows.reduce((n, r) => n + Number(r.n), 0);
  return { buckets, sum: rows.reduce((n, r) => n + Number(r.sum), 0), count };
}

/** The bounds the database counts into (its function, the same list as BINDING_LATENCY_BUCKETS). */
export async function readBindingLatencyBounds(db: DbOrTx): Promise<number[]> {
  const [r] = await db.execute<{ bounds: number[] }>(sql`select sankofa_binding_latency_bounds() as bounds`);
  return r!.bounds.map(Number);
}

/**
 * Per collector, its last success and last failure. Proxmox is the inventory; UniFi, NPM and the
 * nodes' networks are edge snapshots; usage and the Tenantos bandwidth reader are the nightly
 * runs; Stripe is applying its events. A collector that never ran is left out (not configured is
 * not stale). One query.
 */
export async function listCollectorFacts(db: DbOrTx): Promise<CollectorObservation[]> {
  const rows = await db.execute<{ collector: string; ok: Date | string | null; failed: Date | string | null }>(sql`
    select 'proxmox' as collector, max(collected_at) filter (where status = 'ok') as ok,
      max(coalesce(collected_at, started_at)) filter (where status = 'failed') as failed
    from inventory_snapshots
    union all
    select source, max(collected_at) filter (where status = 'ok'), max(coalesce(collected_at, started_at)) filter (where status = 'failed')
    from edge_snapshots group by source
    union all
    select case when source = 'tenantos' then 'tenantos' else 'usage' end, max(collected_at) filter (where status = 'ok'),
      max(collected_at) filter (where status = 'failed')
    from billing_usage_runs group by 1
    union all
    select 'stripe', max(processed_at) filter (where status in ('applied', 'stale', 'ignored')), max(processed_at) filter (where status = 'failed')
    from billing_stripe_events`);
  const date = (v: Date | string | null) => (v === null ? null : new Date(v));
  return rows
    .filter((r) => (COLLECTORS as readonly string[]).includes(r.collector) && (r.ok !== null || r.failed !== null))
    .map((r) => ({ collector: r.collector as CollectorName, lastSuccessAt: date(r.ok), lastFailureAt: date(r.failed) }))
    .sort((a, b) => a.collector.localeCompare(b.collector));
}

export interface PlatformFacts {
  approvalsWaiting: number;
  oldestApprovalSeconds: number;
  signInFailures: number;
  invoicesNeedingLook: number;
}

/**
 * Approvals waiting (and the oldest one's age), sign-in failures (audit rows; a partial index keeps
 * the count cheap), and what finance must look at: invoices whose payment failed or that the newest
 * nightly ledger check flagged, and Stripe deliveries stored as "needs a look" (#25). One query.
 */
export async function getPlatformFacts(db: DbOrTx): Promise<PlatformFacts> {
  const [r] = await db.execute<Record<keyof PlatformFacts, string | null>>(sql`
    select
      (select count(*) from pending_changes where status = 'pending') as "approvalsWaiting",
      (select coalesce(extract(epoch from now() - min(requested_at)), 0) from pending_changes where status = 'pending') as "oldestApprovalSeconds",
      (select count(*) from audit_log where action = 'auth.sign_in_failed') as "signInFailures",
      (select count(*) from (
        select id from billing_invoices where status = 'issued' and payment_failed_at is not null
        union
        select (f->>'invoiceId')::int from (select flags from billing_ledger_checks order by checked_at desc limit 1) c, jsonb_array_elements(c.flags) f
      ) x) + (select count(*) from billing_stripe_events where status = 'needs_look') as "invoicesNeedingLook"`);
  return {
    approvalsWaiting: Number(r!.approvalsWaiting),
    oldestApprovalSeconds: Number(r!.oldestApprovalSeconds),
    signInFailures: Number(r!.signInFailures),
    invoicesNeedingLook: Number(r!.invoicesNeedingLook),
  };
}

/** Provisioning jobs by kind and status (a gauge: a job moves between statuses). One query. */
export async function countProvisioningJobs(db: DbOrTx): Promise<Array<{ kind: string; status: string; count: number }>> {
  const rows = await db.execute<{ kind: string; status: string; n: string }>(sql`
    select kind, status, count(*) as n from provisioning_jobs group by kind, status order by kind, status`);
  return rows.map((r) => ({ kind: r.kind, status: r.status, count: Number(r.n) }));
}

/** The longest gap between two runs of the backup schedule in force (from settings). */
export async function getBackupIntervalSeconds(db: DbOrTx, now = new Date()): Promise<number> {
  const { backupSchedule } = await getSettings(db);
  return computeLongestGapSeconds(nextCronRuns(backupSchedule, 8, now));
}

/** What the notifier evaluates: the same facts the metrics export. */
export async function readConditionInputs(db: DbOrTx, now = new Date()): Promise<ConditionInputs> {
  const [switches, collectors, platform, backupIntervalSeconds] = await Promise.all([
    listSwitchFacts(db),
    listCollectorFacts(db),
    getPlatformFacts(db),
    getBackupIntervalSeconds(db, now),
  ]);
  return {
    now,
    switches,
    collectors,
    backupIntervalSeconds,
    approvals: { waiting: platform.approvalsWaiting, oldestWaitingSeconds: platform.oldestApprovalSeconds },
  };
}
