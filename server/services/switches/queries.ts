import { desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { switchBackups, switchDriftReports, switchPortBindings, switchPushes, switches } from "@/drizzle/schema";
import type { PortDrift } from "@/lib/junos/drift";
import { computeFreshness, JUNOS_LINKS_STALE_AFTER_MS } from "@/lib/edge/freshness";
import type { JunosLinkFact } from "@/lib/edge/path";
import { AppError } from "@/lib/errors";
import type { Binding } from "@/lib/junos/bindings";
import type { DbOrTx } from "@/server/db/client";
import { listBackups } from "./backups";
import { getSwitch, toPublicSwitch } from "./switches";

/** The switches page: each switch with its last backup and last push, in one query. */
export async function listSwitchOverview(db: DbOrTx) {
  const rows = await db
    .select({
      sw: switches,
      lastBackupAt: sql<Date | null>`(select max(b.taken_at) from ${switchBackups} b where b.switch_id = ${switches.id})`.mapWith((v) =>
        v ? new Date(v) : null,
      ),
      lastPush: sql<{ status: string; finished_at: string | null; error_kind: string | null; error_message: string | null } | null>`(
        select json_build_object('status', p.status, 'finished_at', p.finished_at, 'error_kind', p.error_kind, 'error_message', p.error_message)
        from ${switchPushes} p where p.switch_id = ${switches.id} order by p.started_at desc limit 1)`,
      dirtyPorts: sql<number>`(select count(*)::int from switch_dirty_ports d where d.switch_id = ${switches.id})`,
      drift: sql<{ checkedAt: string; driftPorts: number | null; error: string | null } | null>`(
        select json_build_object('checkedAt', r.checked_at, 'driftPorts', jsonb_array_length(r.ports), 'error', r.error)
        from switch_drift_reports r where r.switch_id = ${switches.id})`,
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
