import { desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { switchBackups, switchDriftReports, switchPortBindings, switchPushes, switches, type SwitchBackupRow, type SwitchPushRow } from "@/drizzle/schema";
import type { PortDrift } from "@/lib/junos/drift";
import { computeFreshness, JUNOS_LINKS_STALE_AFTER_MS } from "@/lib/edge/freshness";
import type { JunosLinkFact } from "@/lib/edge/path";
import { AppError } from "@/lib/errors";
import type { Binding } from "@/lib/junos/bindings";
import type { DbOrTx } from "@/server/db/client";
import type { BackupTableSort, backupTableSpec, HOST_KEY_STATES, PushTableSort, pushTableSpec, SwitchTableSort, switchTableSpec } from "@/lib/switches/tables";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import { escapeLike } from "@/server/db/like";
import { listPage, type ListPage, type ListSource } from "@/server/db/list-query";
import { listBackups } from "./backups";
import { getSwitch, toPublicSwitch } from "./switches";

/**
 * Each switch with its last backup and last push, in one query. The correlations name `switches.id`
 * in full: drizzle writes `${switches.id}` as a bare "id" here, which inside `from switch_backups b`
 * is the backup's own id (every switch showed the backup and push whose id equalled its own).
 */
export async function listSwitchOverview(db: DbOrTx) {
  const rows = await db
    .select({
      sw: switches,
      lastBackupAt: sql<Date | null>`(select max(b.taken_at) from ${switchBackups} b where b.switch_id = switches.id)`.mapWith((v) => (v ? new Date(v) : null)),
      lastPush: sql<{ status: string; finished_at: string | null; error_kind: string | null; error_message: string | null } | null>`(
        select json_build_object('status', p.status, 'finished_at', p.finished_at, 'error_kind', p.error_kind, 'error_message', p.error_message)
        from ${switchPushes} p where p.switch_id = switches.id order by p.started_at desc limit 1)`,
      dirtyPorts: sql<number>`(select count(*)::int from switch_dirty_ports d where d.switch_id = switches.id)`,
      drift: sql<{ checkedAt: string; driftPorts: number | null; error: string | null } | null>`(
        select json_build_object('checkedAt', r.checked_at, 'driftPorts', jsonb_array_length(r.ports), 'error', r.error)
        from switch_drift_reports r where r.switch_id = switches.id)`,
    })
    .from(switches)
    .orderBy(switches.name);
  return rows.map((r) => ({ ...toPublicSwitch(r.sw), lastBackupAt: r.lastBackupAt, lastPush: r.lastPush, dirtyPorts: r.dirtyPorts, drift: r.drift }));
}

export async function getSwitchDetail(db: DbOrTx, id: number) {
  const sw = toPublicSwitch(await getSwitch(db, id));
  const [ports, pushes, backups, [drift]] = await Promise.all([
    db.select().from(switchPortBindings).where(eq(switchPortBindings.switchId, id)).orderBy(switchPortBindings.interface),
    db
      .select({
        id: switchPushes.id,
        changeId: switchPushes.changeId,
        trigger: switchPushes.trigger,
        status: switchPushes.status,
        startedAt: switchPushes.startedAt,
        finishedAt: switchPushes.finishedAt,
        ports: switchPushes.ports,
        errorKind: switchPushes.errorKind,
        errorMessage: switchPushes.errorMessage,
        note: switchPushes.note,
        confirmDeadline: switchPushes.confirmDeadline,
      })
      .from(switchPushes)
      .where(eq(switchPushes.switchId, id))
      .orderBy(desc(switchPushes.startedAt))
      .limit(30),
    listBackups(db, id, 30),
    db.select().from(switchDriftReports).where(eq(switchDriftReports.switchId, id)),
  ]);
  // A confirmed commit on trial (ours, after a lost session) or one we wait on (someone else's).
  const waiting = pushes.find((p) => (p.status === "awaiting-confirm" || p.status === "deferred") && p.confirmDeadline !== null);
  return {
    switch: sw,
    pendingConfirm: waiting ? { changeId: waiting.changeId, status: waiting.status, deadline: waiting.confirmDeadline!, message: waiting.errorMessage } : null,
    ports: ports.map((p) => ({ ...p, bindings: p.bindings as Binding[] })),
    pushes,
    backups,
    drift: drift ? { checkedAt: drift.checkedAt, error: drift.error, ports: (drift.ports as PortDrift[] | null) ?? [] } : null,
  };
}

/** One push with its transcript and compare (configuration text is never in them, secrets masked). */
export async function getPush(db: DbOrTx, pushId: number) {
  const [row] = await db.select().from(switchPushes).where(eq(switchPushes.id, pushId));
  if (!row) throw new AppError("NOT_FOUND", `push ${pushId} does not exist`);
  return row;
}

/**
 * Each switch's LLDP neighbours and ae membership from its newest backup that read them, with their
 * freshness: a newer backup whose read failed makes them stale (with its error), as does their age.
 */
export async function listSwitchLinkFacts(db: DbOrTx, now: Date = new Date()): Promise<JunosLinkFact[]> {
  const newest = (where: SQL) =>
    db
      .selectDistinctOn([switchBackups.switchId], { switchId: switchBackups.switchId, takenAt: switchBackups.takenAt, facts: switchBackups.linkFacts })
      .from(switchBackups)
      .where(where)
      .orderBy(switchBackups.switchId, desc(switchBackups.takenAt), desc(switchBackups.id));
  const [names, attempts, lldp, lacp] = await Promise.all([
    db.select({ id: switches.id, name: switches.name }).from(switches),
    newest(isNotNull(switchBackups.linkFacts)),
    newest(sql`${switchBackups.linkFacts}->'lldp'->'neighbors' is not null`),
    newest(sql`${switchBackups.linkFacts}->'lacp'->'bundles' is not null`),
  ]);
  const out: JunosLinkFact[] = [];
  for (const sw of names) {
    const attempt = attempts.find((a) => a.switchId === sw.id);
    if (!attempt) continue;
    const good = lldp.find((r) => r.switchId === sw.id);
    const bundles = lacp.find((r) => r.switchId === sw.id)?.facts?.lacp;
    const lldpRead = good?.facts && "neighbors" in good.facts.lldp ? good.facts.lldp : null;
    const lacpRead = bundles && "bundles" in bundles ? bundles : null;
    const failed = attempt.facts && "error" in attempt.facts.lldp ? { at: attempt.takenAt, error: attempt.facts.lldp.error } : null;
    out.push({
      switchName: sw.name,
      neighbors: lldpRead?.neighbors ?? [],
      bundles: lacpRead?.bundles ?? [],
      problems: [...(lldpRead?.problems ?? []).map((p) => `lldp: ${p}`), ...(lacpRead?.problems ?? []).map((p) => `lacp: ${p}`)],
      freshness: computeFreshness({
        source: "junos-lldp",
        collectedAt: good?.takenAt ?? null,
        lastFailure: failed,
        now,
        staleAfterMs: JUNOS_LINKS_STALE_AFTER_MS,
      }),
    });
  }
  return out.sort((a, b) => a.switchName.localeCompare(b.switchName));
}

// ---- The console's tables: the switches list and a switch's pushes and backups, paged in Postgres.

type SwitchTableFilters = FilterValues<(typeof switchTableSpec)["filters"]>;
type PushTableFilters = FilterValues<(typeof pushTableSpec)["filters"]>;
type BackupTableFilters = FilterValues<(typeof backupTableSpec)["filters"]>;

interface View<S extends string, F> {
  sort: S;
  dir: SortDir;
  q: string;
  filters: F;
  page: number;
  pageSize: number;
}

export interface SwitchListRow {
  id: number;
  name: string;
  host: string;
  port: number;
  dialect: "non-els" | "els" | null;
  hostKeyState: (typeof HOST_KEY_STATES)[number];
  isAutomationEnabled: boolean;
  lastBackupAt: Date | null;
  lastPush: { status: string; finishedAt: Date | null; errorKind: string | null; errorMessage: string | null } | null;
  drift: { checkedAt: Date; driftPorts: number | null; error: string | null } | null;
  dirtyPorts: number;
}

type RawSwitch = {
  id: number;
  name: string;
  host: string;
  port: number;
  dialect: SwitchListRow["dialect"];
  host_key_state: SwitchListRow["hostKeyState"];
  automation_enabled: boolean;
  last_backup_at: string | Date | null;
  push_status: string | null;
  push_finished_at: string | Date | null;
  push_error_kind: string | null;
  push_error_message: string | null;
  drift_checked_at: string | Date | null;
  drift_ports: number | null;
  drift_error: string | null;
  dirty_ports: number;
};

const toDate = (v: string | Date | null): Date | null => (v === null ? null : new Date(v));

// Each switch with its newest backup and push, its drift report and its dirty ports: laterals so a
// sort or filter on any of them is one query (the same facts listSwitchOverview reads).
const switchSource: ListSource<SwitchTableSort, RawSwitch, SwitchListRow> = {
  select: sql`s.id, s.name, s.host, s.port, s.dialect, s.host_key_state, s.automation_enabled, lb.taken_at as last_backup_at,
    lp.status as push_status, lp.finished_at as push_finished_at, lp.error_kind as push_error_kind, lp.error_message as push_error_message,
    r.checked_at as drift_checked_at, jsonb_array_length(r.ports) as drift_ports, r.error as drift_error, dp.n as dirty_ports`,
  from: sql`switches s
    left join lateral (select max(b.taken_at) as taken_at from switch_backups b where b.switch_id = s.id) lb on true
    left join lateral (select p.status, p.finished_at, p.error_kind, p.error_message from switch_pushes p where p.switch_id = s.id order by p.started_at desc, p.id desc limit 1) lp on true
    left join switch_drift_reports r on r.switch_id = s.id
    left join lateral (select count(*)::int as n from switch_dirty_ports d where d.switch_id = s.id) dp on true`,
  sortColumns: {
    name: sql`s.name`,
    address: [sql`s.host`, sql`s.port`],
    dialect: sql`s.dialect`,
    hostKey: sql`s.host_key_state`,
    lastBackup: sql`lb.taken_at`,
    lastPush: sql`lp.status`,
    // Errors first when descending, then the most drifted ports.
    drift: [sql`(r.error is not null)`, sql`coalesce(jsonb_array_length(r.ports), -1)`],
    dirty: sql`dp.n`,
  },
  tiebreaker: sql`s.id`,
  mapRow: (r) => ({
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    dialect: r.dialect,
    hostKeyState: r.host_key_state,
    isAutomationEnabled: r.automation_enabled,
    lastBackupAt: toDate(r.last_backup_at),
    lastPush:
      r.push_status === null
        ? null
        : { status: r.push_status, finishedAt: toDate(r.push_finished_at), errorKind: r.push_error_kind, errorMessage: r.push_error_message },
    drift: r.drift_checked_at === null ? null : { checkedAt: new Date(r.drift_checked_at), driftPorts: r.drift_ports, error: r.drift_error },
    dirtyPorts: r.dirty_ports,
  }),
};

function switchWhere(view: Pick<View<SwitchTableSort, SwitchTableFilters>, "q" | "filters">): Array<SQL | undefined> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  const drift = {
    "in-sync": sql`r.error is null and coalesce(jsonb_array_length(r.ports), 0) = 0 and r.switch_id is not null`,
    differs: sql`r.error is null and jsonb_array_length(r.ports) > 0`,
    error: sql`r.error is not null`,
    unchecked: sql`r.switch_id is null`,
  } as const;
  return [
    f.hostKey ? sql`s.host_key_state = ${f.hostKey}` : undefined,
    f.automation ? sql`s.automation_enabled = ${f.automation === "on"}` : undefined,
    f.lastPush ? sql`lp.status = ${f.lastPush}` : undefined,
    f.drift ? drift[f.drift] : undefined,
    q ? sql`(s.name ilike ${like} or s.host ilike ${like})` : undefined,
  ];
}

/** One page of the switches list and how many switches its filters match. */
export function listSwitchPage(db: DbOrTx, view: View<SwitchTableSort, SwitchTableFilters>): Promise<ListPage<SwitchListRow>> {
  return listPage(db, switchSource, { where: switchWhere(view), sort: view.sort, dir: view.dir, page: view.page, pageSize: view.pageSize });
}

export interface PushListRow {
  id: number;
  changeId: string;
  trigger: string;
  status: SwitchPushRow["status"];
  startedAt: Date;
  finishedAt: Date | null;
  ports: string[];
  errorKind: string | null;
  errorMessage: string | null;
  note: string | null;
}

type RawPush = {
  id: string | number;
  change_id: string;
  trigger: string;
  status: SwitchPushRow["status"];
  started_at: string | Date;
  finished_at: string | Date | null;
  ports: string[] | string;
  error_kind: string | null;
  error_message: string | null;
  note: string | null;
};

const pushSource: ListSource<PushTableSort, RawPush, PushListRow> = {
  select: sql`p.id, p.change_id, p.trigger, p.status, p.started_at, p.finished_at, p.ports, p.error_kind, p.error_message, p.note`,
  from: sql`switch_pushes p`,
  sortColumns: { started: sql`p.started_at`, change: sql`p.change_id`, trigger: sql`p.trigger`, status: sql`p.status` },
  tiebreaker: sql`p.id`,
  mapRow: (r) => ({
    id: Number(r.id),
    changeId: r.change_id,
    trigger: r.trigger,
    status: r.status,
    startedAt: new Date(r.started_at),
    finishedAt: toDate(r.finished_at),
    // postgres.js parses text[] in db.execute too; a driver handing the literal back would break here.
    ports: Array.isArray(r.ports) ? r.ports : [],
    errorKind: r.error_kind,
    errorMessage: r.error_message,
    note: r.note,
  }),
};

/** One page of a switch's pushes and how many its filters match. */
export function listPushPage(db: DbOrTx, switchId: number, view: View<PushTableSort, PushTableFilters>): Promise<ListPage<PushListRow>> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  return listPage(db, pushSource, {
    where: [
      sql`p.switch_id = ${switchId}`,
      f.status ? sql`p.status = ${f.status}` : undefined,
      f.from ? sql`p.started_at >= ${f.from.toISOString()}::timestamptz` : undefined,
      f.to ? sql`p.started_at <= ${f.to.toISOString()}::timestamptz` : undefined,
      q
        ? sql`(p.change_id ilike ${like} or p.trigger ilike ${like} or p.error_message ilike ${like} or exists (select 1 from unnest(p.ports) port where port ilike ${like}))`
        : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}

export interface BackupListRow {
  id: number;
  takenAt: Date;
  reason: SwitchBackupRow["reason"];
  changeId: string | null;
  sha256: string;
  isManualChange: boolean;
}

type RawBackup = {
  id: string | number;
  taken_at: string | Date;
  reason: SwitchBackupRow["reason"];
  change_id: string | null;
  sha256: string;
  is_manual_change: boolean;
};

const backupSource: ListSource<BackupTableSort, RawBackup, BackupListRow> = {
  select: sql`b.id, b.taken_at, b.reason, b.change_id, b.sha256, b.is_manual_change`,
  from: sql`switch_backups b`,
  sortColumns: { taken: sql`b.taken_at`, reason: sql`b.reason`, change: sql`b.change_id` },
  tiebreaker: sql`b.id`,
  mapRow: (r) => ({
    id: Number(r.id),
    takenAt: new Date(r.taken_at),
    reason: r.reason,
    changeId: r.change_id,
    sha256: r.sha256,
    isManualChange: r.is_manual_change,
  }),
};

/** One page of a switch's backups and how many its filters match. */
export function listBackupPage(db: DbOrTx, switchId: number, view: View<BackupTableSort, BackupTableFilters>): Promise<ListPage<BackupListRow>> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  return listPage(db, backupSource, {
    where: [
      sql`b.switch_id = ${switchId}`,
      f.reason ? sql`b.reason = ${f.reason}` : undefined,
      f.manual ? sql`b.is_manual_change = ${f.manual === "yes"}` : undefined,
      f.from ? sql`b.taken_at >= ${f.from.toISOString()}::timestamptz` : undefined,
      f.to ? sql`b.taken_at <= ${f.to.toISOString()}::timestamptz` : undefined,
      q ? sql`(b.change_id ilike ${like} or b.sha256 ilike ${like})` : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
}
