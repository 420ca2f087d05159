import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { COLLECTOR_MAX_AGE_SECONDS, isCollectorStale, isPushUnreachable } from "@/lib/observability/conditions";
import { formatHistogram } from "@/lib/observability/exposition";
import type { Db } from "@/server/db/client";
import {
  BINDING_LATENCY_BUCKETS,
  countProvisioningJobs,
  countPushes,
  getBackupIntervalSeconds,
  getPlatformFacts,
  listCollectorFacts,
  listSwitchFacts,
  measureBindingLatency,
  PUSH_DURATION_BUCKETS,
} from "@/server/services/observability/queries";
import { checkHealth } from "@/server/services/platform/health";
import { countJobsByState } from "@/server/services/platform/jobs";

// Two kinds of series. This process's own (Node's defaults, the doors' refusals, which are counted
// and never stored) live in one registry per process. Everything about the loops is read from the
// database at scrape time into a registry made for that scrape: any number of web and worker
// processes then agree without shared memory, and two scrapes at once never share a gauge.

function createProcessMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "sankofa_" });
  return {
    registry,
    doorRejections: new Counter({
      name: "sankofa_door_rejections_total",
      help: "Requests a machine door refused, by door and reason (auth, body, size, unavailable)",
      labelNames: ["door", "reason"],
      registers: [registry],
    }),
  };
}

// One registry per process, kept across dev reloads so metrics are not registered twice.
const globalForMetrics = globalThis as unknown as { sankofaMetrics?: ReturnType<typeof createProcessMetrics> };

function getProcessMetrics() {
  globalForMetrics.sankofaMetrics ??= createProcessMetrics();
  return globalForMetrics.sankofaMetrics;
}

/** Refused requests are counted, never stored: a flood of bad tokens must not fill the database. */
export function countDoorRejection(door: string, reason: "auth" | "body" | "size" | "unavailable"): void {
  getProcessMetrics().doorRejections.inc({ door, reason });
}

const epoch = (d: Date | null) => (d ? d.getTime() / 1000 : 0);

/** The loops' series, read from the database (one query per family), in a registry of its own. */
async function renderDatabaseMetrics(db: Db): Promise<string> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });

  const health = await checkHealth(db);
  const up = gauge("sankofa_up", "1 when the component is healthy (database reachable, worker heartbeat fresh)", ["component"]);
  up.set({ component: "database" }, health.database.ok ? 1 : 0);
  up.set({ component: "worker" }, health.worker.ok ? 1 : 0);
  gauge("sankofa_worker_heartbeat_age_seconds", "Seconds since a worker last ran the heartbeat job (-1 if never)").set(
    health.worker.ageMs === null ? -1 : health.worker.ageMs / 1000,
  );
  if (!health.database.ok) return registry.metrics();

  const [jobs, switchFacts, pushes, latency, collectors, platform, provisioning, backupInterval] = await Promise.all([
    countJobsByState(db),
    listSwitchFacts(db),
    countPushes(db),
    measureBindingLatency(db),
    listCollectorFacts(db),
    getPlatformFacts(db),
    countProvisioningJobs(db),
    getBackupIntervalSeconds(db),
  ]);

  const jobGauge = gauge("sankofa_jobs", "Jobs in the graphile-worker queue by state", ["state"]);
  for (const [state, n] of Object.entries(jobs)) jobGauge.set({ state }, n);

  const pushTotal = counter("sankofa_switch_pushes_total", "Pushes by switch and outcome (running, committed, unchanged, failed, deferred…)", [
    "switch",
    "outcome",
  ]);
  for (const p of pushes.counts) pushTotal.inc({ switch: p.switch, outcome: p.outcome }, p.count);

  const lastFailed = gauge("sankofa_switch_last_push_failed", "1 when the switch's newest finished push failed", ["switch", "error_kind"]);
  const unreachable = gauge("sankofa_switch_unreachable", "1 when the switch's newest push could not reach it (connection lost or refused, timeout)", [
    "switch",
  ]);
  const hostKey = gauge("sankofa_switch_host_key_mismatch", "1 when the switch presented a host key that is not the approved one", ["switch"]);
  const lastBackup = gauge("sankofa_switch_last_backup_timestamp_seconds", "When the switch's newest backup was taken (Unix time); absent until its first", [
    "switch",
  ]);
  const backupAge = gauge("sankofa_switch_backup_age_seconds", "Age of the switch's newest backup, or of the switch itself while it has none", ["switch"]);
  const drift = gauge("sankofa_switch_drift_ports", "Managed ports whose bindings differ from what they should hold, as of the last drift check", ["switch"]);
  const manual = counter("sankofa_switch_manual_changes_total", "Scheduled backups that found a change made outside the controller", ["switch"]);
  const duplicates = gauge("sankofa_duplicate_addresses", "Addresses two guests or NICs claim, left out of the switch's last push", ["switch"]);
  const unknownVms = gauge(
    "sankofa_unknown_vm_addresses",
    "Addresses of VMs Tenantos does not know that the switch's last push bound from their Proxmox config",
    ["switch"],
  );
  for (const s of switchFacts) {
    const labels = { switch: s.name };
    lastFailed.set({ ...labels, error_kind: s.lastPushStatus === "failed" ? (s.lastPushErrorKind ?? "unknown") : "" }, s.lastPushStatus === "failed" ? 1 : 0);
    unreachable.set(labels, isPushUnreachable(s) ? 1 : 0);
    hostKey.set(labels, s.hostKeyState === "mismatch" ? 1 : 0);
    if (s.lastBackupAt) lastBackup.set(labels, epoch(s.lastBackupAt));
    backupAge.set(labels, s.backupAgeSeconds);
    drift.set(labels, s.driftPorts);
    manual.inc(labels, s.manualChanges);
    duplicates.set(labels, s.duplicateAddresses);
    unknownVms.set(labels, s.unknownVmAddresses);
  }
  gauge("sankofa_backup_interval_seconds", "The longest gap between two runs of the backup schedule in force").set(backupInterval);

  const success = gauge("sankofa_collector_last_success_timestamp_seconds", "A collector's last successful run (Unix time; 0 if never)", ["collector"]);
  const failure = gauge("sankofa_collector_last_failure_timestamp_seconds", "A collector's last failed run (Unix time; 0 if never)", ["collector"]);
  const maxAge = gauge("sankofa_collector_max_age_seconds", "How old a collector's last success may be before it is stale (0: only a failure makes it stale)", [
    "collector",
  ]);
  const stale = gauge("sankofa_collector_stale", "1 when the collector's last run failed or its last success is older than its schedule allows", ["collector"]);
  const now = new Date();
  for (const c of collectors) {
    success.set({ collector: c.collector }, epoch(c.lastSuccessAt));
    failure.set({ collector: c.collector }, epoch(c.lastFailureAt));
    maxAge.set({ collector: c.collector }, COLLECTOR_MAX_AGE_SECONDS[c.collector]);
    stale.set({ collector: c.collector }, isCollectorStale(c, now) ? 1 : 0);
  }

  gauge("sankofa_approvals_waiting", "Changes waiting for a second admin").set(platform.approvalsWaiting);
  gauge("sankofa_approval_oldest_waiting_seconds", "Age of the oldest change waiting for a second admin (0 when none)").set(platform.oldestApprovalSeconds);
  counter("sankofa_sign_in_failures_total", "Failed console sign-ins (from the audit log)").inc(platform.signInFailures);
  gauge(
    "sankofa_invoices_needing_look",
    "Invoices whose payment failed or that the nightly ledger check flagged, plus Stripe deliveries stored as needing a look",
  ).set(platform.invoicesNeedingLook);
  const prov = gauge("sankofa_provisioning_jobs", "Provisioning jobs by type and status", ["kind", "status"]);
  for (const p of provisioning) prov.set({ kind: p.kind, status: p.status }, p.count);

  return (
    (await registry.metrics()) +
    formatHistogram(
      "sankofa_switch_push_duration_seconds",
      "How long finished pushes took, by switch",
      PUSH_DURATION_BUCKETS,
      pushes.durations.map((d) => ({ labels: { switch: d.switch }, buckets: d.buckets, sum: d.sum, count: d.count })),
    ) +
    formatHistogram(
      "sankofa_binding_latency_seconds",
      "From a Tenantos event's arrival to its port holding the bindings after a push",
      BINDING_LATENCY_BUCKETS,
      [{ labels: {}, ...latency }],
    )
  );
}

export async function renderMetrics(db: Db): Promise<{ body: string; contentType: string }> {
  const processMetrics = getProcessMetrics();
  const [own, loops] = await Promise.all([processMetrics.registry.metrics(), renderDatabaseMetrics(db)]);
  return { body: `${own}\n${loops}`, contentType: processMetrics.registry.contentType };
}
