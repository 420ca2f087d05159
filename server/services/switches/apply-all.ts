import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { applyAllRuns, panelPorts, switchDirtyPorts, switchPortBindings, switchPushes, switches, type ApplyAllRunRow } from "@/drizzle/schema";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { syncPanelPorts } from "../port-security/tenantos-port-sync";
import { computeSwitchPlans, type PortPlanView } from "../port-state/switch-plan";
import { enqueueReconcile } from "./switches";

type PanelSync = Awaited<ReturnType<typeof syncPanelPorts>>;

export interface ApplyAllProgress {
  run: ApplyAllRunRow;
  total: number;
  done: number;
  failed: number;
  isFinished: boolean;
  failures: Array<{ switchId: number; errorKind: string | null; errorMessage: string | null }>;
  /** Per switch: what its latest push of the run did, and which push (its transcript is on the switch page). */
  switches: Array<{
    switchId: number;
    switchName: string;
    outcome: "changed" | "unchanged" | "failed" | "running";
    pushId: number | null;
    changeId: string | null;
  }>;
}

export interface ApplyAllPreview {
  /** Per switch and port, from the same plan the pushes compute: adds, removes, unchanged. */
  switches: Array<{
    switchId: number;
    switchName: string;
    currentAsOf: Date | null;
    ports: Array<
      Pick<PortPlanView, "interface" | "source" | "adds" | "removes" | "unchanged" | "leftOut" | "flags" | "unknownReason"> & { isChanged: boolean }
    >;
  }>;
  totals: { adds: number; removes: number; unchanged: number; leftOut: number };
}

/**
 * What Apply All would do, before it does it: every approved switch's managed ports planned as the
 * push plans them, against each switch's latest backup, shown for confirmation. Every Tenantos
 * server's port is learnt first (as Apply All itself does), so servers that never sent an event are
 * in the preview too; nothing is marked dirty or pushed.
 */
export async function previewApplyAll(db: Db, secretsKey: Buffer, panel?: OutsideSystems): Promise<ApplyAllPreview & { panelSync: PanelSync | null }> {
  const panelSync = panel ? await syncPanelPorts(db, panel) : null;
  const approved = (await db.select({ id: switches.id }).from(switches).where(eq(switches.hostKeyState, "approved"))).map((r) => r.id);
  const plans = await computeSwitchPlans({ db, panel, secretsKey }, approved);
  const out = plans.map((sw) => ({
    switchId: sw.switchId,
    switchName: sw.switchName,
    currentAsOf: sw.currentAsOf,
    ports: sw.ports.map(({ desired: _d, current: _c, ...p }) => ({ ...p, isChanged: p.adds.length + p.removes.length > 0 })),
  }));
  const sum = (f: (p: ApplyAllPreview["switches"][number]["ports"][number]) => number) => out.reduce((n, sw) => n + sw.ports.reduce((m, p) => m + f(p), 0), 0);
  return {
    panelSync,
    switches: out,
    totals: {
      adds: sum((p) => p.adds.length),
      removes: sum((p) => p.removes.length),
      unchanged: sum((p) => p.unchanged.length),
      leftOut: sum((p) => p.leftOut.length),
    },
  };
}

/** The latest runs, newest first, each with its per-switch outcome. */
export async function listApplyAllRuns(db: DbOrTx, limit = 10): Promise<ApplyAllProgress[]> {
  const runs = await db.select().from(applyAllRuns).orderBy(desc(applyAllRuns.id)).limit(limit);
  return Promise.all(runs.map((r) => getProgress(db, r)));
}

/**
 * Re-pushes every desired binding on every approved switch: all their ports are marked dirty and
 * each switch gets its reconcile run. Starting while a run is unfinished joins that run.
 */
export async function startApplyAll(
  db: Db,
  actor: Actor,
  panel?: OutsideSystems,
): Promise<ApplyAllProgress & { isJoined: boolean; panelSync: PanelSync | null }> {
  // Every server in the panel first, so servers that never sent an event are covered too.
  const panelSync = panel ? await syncPanelPorts(db, panel) : null;
  const runId = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('apply-all'))`);
    const [latest] = await tx.select().from(applyAllRuns).orderBy(desc(applyAllRuns.id)).limit(1);
    if (latest && !(await getProgress(tx, latest)).isFinished) return { id: latest.id, isJoined: true };
    // Every port with desired bindings: set by hand, or owned by the panel (dedicated servers and
    // Proxmox node uplinks, whose bindings are read from Tenantos and Proxmox at push time).
    const targets = await tx.execute<{ id: number }>(sql`
      select distinct s.id from switches s
      where s.host_key_state = 'approved'
        and (exists (select 1 from switch_port_bindings b where b.switch_id = s.id) or exists (select 1 from panel_ports p where p.switch_id = s.id))`);
    const ids = targets.map((t) => Number(t.id)).sort((a, b) => a - b);
    const [run] = await tx.insert(applyAllRuns).values({ startedBy: actor.id, switchIds: ids }).returning();
    if (ids.length) {
      await tx.execute(sql`
        insert into switch_dirty_ports (switch_id, interface)
        select switch_id, interface from switch_port_bindings where ${inArray(switchPortBindings.switchId, ids)}
        union
        select switch_id, interface from panel_ports where ${inArray(panelPorts.switchId, ids)}
        on conflict (switch_id, interface) do update set marked_at = now()`);
    }
    // Every port is already marked in this transaction: nothing to gather, run at once.
    for (const id of ids) await enqueueReconcile(tx, id, `apply-all:${run!.id}`, 0);
    await writeAudit(tx, actor, { action: "switch.apply_all", entityType: "apply_all", entityId: String(run!.id), after: { switchIds: ids } });
    return { id: run!.id, isJoined: false };
  });
  const [run] = await db.select().from(applyAllRuns).where(eq(applyAllRuns.id, runId.id));
  return { ...(await getProgress(db, run!)), isJoined: runId.isJoined, panelSync };
}

export async function getLatestApplyAll(db: DbOrTx): Promise<ApplyAllProgress | null> {
  const [latest] = await db.select().from(applyAllRuns).orderBy(desc(applyAllRuns.id)).limit(1);
  return latest ? getProgress(db, latest) : null;
}

/** A switch is done when its latest push since the run began succeeded and it has no dirty ports left. */
async function getProgress(db: DbOrTx, run: ApplyAllRunRow): Promise<ApplyAllProgress> {
  if (run.switchIds.length === 0) return { run, total: 0, done: 0, failed: 0, isFinished: true, failures: [], switches: [] };
  const latest = await db
    .selectDistinctOn([switchPushes.switchId], {
      switchId: switchPushes.switchId,
      pushId: switchPushes.id,
      changeId: switchPushes.changeId,
      status: switchPushes.status,
      errorKind: switchPushes.errorKind,
      errorMessage: switchPushes.errorMessage,
    })
    .from(switchPushes)
    .where(and(inArray(switchPushes.switchId, run.switchIds), gte(switchPushes.startedAt, run.startedAt)))
    .orderBy(switchPushes.switchId, desc(switchPushes.startedAt));
  const dirty = new Set(
    (await db.selectDistinct({ id: switchDirtyPorts.switchId }).from(switchDirtyPorts).where(inArray(switchDirtyPorts.switchId, run.switchIds))).map(
      (d) => d.id,
    ),
  );
  const done = latest.filter((p) => (p.status === "committed" || p.status === "unchanged") && !dirty.has(p.switchId)).length;
  const failures = latest.filter((p) => p.status === "failed").map(({ switchId, errorKind, errorMessage }) => ({ switchId, errorKind, errorMessage }));
  const names = new Map(
    (await db.select({ id: switches.id, name: switches.name }).from(switches).where(inArray(switches.id, run.switchIds))).map((r) => [r.id, r.name]),
  );
  const perSwitch = run.switchIds.map((switchId) => {
    const p = latest.find((l) => l.switchId === switchId);
    const outcome: ApplyAllProgress["switches"][number]["outcome"] =
      !p || dirty.has(switchId)
        ? p?.status === "failed"
          ? "failed"
          : "running"
        : p.status === "committed"
          ? "changed"
          : p.status === "unchanged"
            ? "unchanged"
            : p.status === "failed"
              ? "failed"
              : "running";
    return { switchId, switchName: names.get(switchId) ?? String(switchId), outcome, pushId: p?.pushId ?? null, changeId: p?.changeId ?? null };
  });
  return {
    run,
    total: run.switchIds.length,
    done,
    failed: failures.length,
    isFinished: done + failures.length === run.switchIds.length,
    failures,
    switches: perSwitch,
  };
}
