import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { applyAllRuns, panelPorts, switchDirtyPorts, switchPortBindings, switchPushes, type ApplyAllRunRow } from "@/drizzle/schema";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { syncPanelPorts } from "../port-security/tenantos-port-sync";
import { enqueueReconcile } from "./switches";

type PanelSync = Awaited<ReturnType<typeof syncPanelPorts>>;

export interface ApplyAllProgress {
  run: ApplyAllRunRow;
  total: number;
  done: number;
  failed: number;
  isFinished: boolean;
  failures: Array<{ switchId: number; errorKind: string | null; errorMessage: string | null }>;
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
  if (run.switchIds.length === 0) return { run, total: 0, done: 0, failed: 0, isFinished: true, failures: [] };
  const latest = await db
    .selectDistinctOn([switchPushes.switchId], {
      switchId: switchPushes.switchId,
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
  const failures = latest.filter((p) => p.status === "failed").map(({ status: _s, ...f }) => f);
  return { run, total: run.switchIds.length, done, failed: failures.length, isFinished: done + failures.length === run.switchIds.length, failures };
}
