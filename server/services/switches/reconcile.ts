import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { portSecurityEvents, switchDirtyPorts, switchPushes, switches, type SwitchPushRow, type SwitchRow } from "@/drizzle/schema";
import type { Skip } from "@/lib/port-security/rules";
import { isSkipAbout, listPanelAddresses, toBinding } from "@/lib/port-security/plan";
import type { Tx } from "@/server/db/client";
import type { PortBindings } from "@/lib/junos/bindings";
import { findChangeFate, type CommitEntry } from "@/lib/junos/commit-history";
import { JunosError } from "@/lib/junos/errors";
import { maskConfigSecrets } from "@/lib/junos/mask-secrets";
import type { TranscriptEntry } from "@/server/connectors/junos/cli";
import { probeHostKey } from "@/server/connectors/junos/host-key-probe";
import { pushBindings, readCommitHistory } from "@/server/connectors/junos/push";
import type { JunosSession } from "@/server/connectors/junos/session";
import { writeAudit } from "../platform/audit";
import { listHeldBindings, recordPushInTimeline } from "../addresses/timeline";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { computeDesiredPorts, type DesiredPort } from "../port-state/desired";
import { storeLearnedVmLinks } from "../port-state/facts";
import { recordPanelAddresses, releasePanelAddresses } from "../ipam/panel-addresses";
import { detectSwitchDialect } from "../port-state/dialect";
import { storeBackup } from "./backups";
import { isDatabaseUnavailable, retryWhileDatabaseAway } from "@/server/db/availability";
import { openSwitchSession, type SwitchDeps } from "./session";

export interface ReconcileDeps extends SwitchDeps {
  /** The panel's connectors, for ports whose bindings come from Tenantos and Proxmox. */
  panel?: OutsideSystems;
  probeHostKey?: typeof probeHostKey;
  /** Minutes the switch waits for confirmation before rolling back by itself. */
  confirmMinutes?: number;
  /** How long one of the switch's minutes lasts here (the lab runs its clock faster); default 60 s. */
  switchMinuteMs?: number;
}

export type ReconcileResult =
  { status: "idle"; reason?: string } | { status: SwitchPushRow["status"]; push: SwitchPushRow; error?: JunosError; retryAt?: Date };

/** How soon a port left untouched for unreadable facts is planned again. */
export const FACT_RETRY_MS = 5_000;

const SYSTEM = { id: "system:reconcile" };

/** How long a finished push waits for an away database to record its outcome. */
const RECORD_WAIT_MS = 10 * 60_000;

/** Pushes whose end this switch's runs never saw: a lost session, or a worker killed mid-push. */
const UNRESOLVED: SwitchPushRow["status"][] = ["running", "awaiting-confirm"];

/**
 * One reconcile run for one switch: take the dirty ports, read their desired bindings now (events
 * are hints, not instructions), push them in one session and one commit, record everything.
 * Ports stay dirty unless the push succeeded, so a failed or repeated run converges. Runs of one
 * switch are serial (its queue), so an unresolved push found at the start is one that died.
 */
export async function reconcileSwitch(deps: ReconcileDeps, switchId: number, trigger: string): Promise<ReconcileResult> {
  const { db } = deps;
  const [sw] = await db.select().from(switches).where(eq(switches.id, switchId));
  if (!sw) return { status: "idle" };
  // A new switch is contacted once, with nothing to push, to record its host key for approval.
  if (sw.hostKeyState === "unknown") return recordFirstContact(deps, sw);
  // The snapshot stays Postgres text: a JS Date would drop the microseconds and never match again.
  const dirty = await db
    .select({ interface: switchDirtyPorts.interface, markedAt: sql<string>`${switchDirtyPorts.markedAt}::text` })
    .from(switchDirtyPorts)
    .where(eq(switchDirtyPorts.switchId, switchId));
  const unresolved = await db
    .select()
    .from(switchPushes)
    .where(and(eq(switchPushes.switchId, switchId), inArray(switchPushes.status, UNRESOLVED)));
  if (dirty.length === 0 && unresolved.length === 0) return { status: "idle" };
  const interfaces = dirty.map((d) => d.interface).sort();
  if (!sw.isAutomationEnabled) return skipDisabledSwitch(deps, sw, interfaces);
  const { desired, skipped, plans, isRetryNeeded } = await gatherDesired(deps, switchId, interfaces);
  // Bound but flagged: the push says so (and the alerts read it), not only the switch page.
  const flags = plans.flatMap((p) =>
    p.unknownReason ? [] : p.flags.map((f) => ({ subject: `${p.interface}: ${f.subject}`, kind: f.kind, reason: f.reason })),
  );
  const pushedPorts = desired.map((d) => d.interface);
  const changeId = `chg-${randomUUID()}`;
  const [push] = await db.insert(switchPushes).values({ changeId, switchId, trigger, status: "running", ports: interfaces, skipped, flags }).returning();
  const minuteMs = deps.switchMinuteMs ?? 60_000;
  const confirmMinutes = deps.confirmMinutes ?? 5;
  let session: JunosSession | undefined;
  let databaseLostAt: Date | undefined;
  try {
    if (sw.hostKeyState !== "approved")
      throw new JunosError("host-key", `the host key of ${sw.name} is not approved yet: approve its fingerprint on the switch page`);
    session = await openSwitchSession(deps, sw, sw.hostKeyFingerprint ?? undefined);
    const dialect = await detectSwitchDialect(db, sw, session);
    const history = await readCommitHistory(session);
    await resolveEarlierPushes(deps, unresolved, history, changeId);
    const outcome = await pushBindings(session, {
      dialect,
      group: sw.dhcpSecurityGroup,
      desired,
      changeId,
      confirmMinutes,
      history,
      resumableChangeIds: unresolved.map((u) => u.changeId),
      onBackup: async (text) => {
        const backup = await storeBackup(db, deps.secretsKey, { switchId, text, reason: "pre-change", changeId });
        await db.update(switchPushes).set({ backupId: backup.id }).where(eq(switchPushes.id, push!.id));
      },
      onConfirmedCommit: async () => {
        // The confirm never waits on our database: with it away, the push goes on to `commit`
        // (the plan was settled before the session), so the switch never rolls back a change
        // because Postgres restarted. What happened is recorded once the database answers.
        try {
          await db
            .update(switchPushes)
            .set({ status: "awaiting-confirm", confirmDeadline: new Date(Date.now() + confirmMinutes * minuteMs) })
            .where(eq(switchPushes.id, push!.id));
        } catch (e) {
          if (!isDatabaseUnavailable(e)) throw e;
          databaseLostAt ??= new Date();
        }
      },
    });
    const record = () =>
      db.transaction(async (tx) => {
        // The result of our change: a later scheduled backup that differs from it was made by hand.
        if (outcome.status === "committed")
          await storeBackup(tx, deps.secretsKey, { switchId, text: outcome.postChangeConfig, reason: "post-change", changeId });
        if (outcome.status === "confirmed-after-reconnect") {
          await tx
            .update(switchPushes)
            .set({
              status: "confirmed-after-reconnect",
              finishedAt: new Date(),
              confirmDeadline: null,
              note: `the session was lost after commit confirmed; run ${changeId} found the change pending, held as planned, and confirmed it`,
            })
            .where(and(eq(switchPushes.switchId, switchId), eq(switchPushes.changeId, outcome.confirmedChangeId)));
          await writeAudit(tx, SYSTEM, {
            action: "switch.push_confirmed",
            entityType: "switch",
            entityId: String(switchId),
            after: { confirmed: outcome.confirmedChangeId },
            ticketId: changeId,
          });
        }
        const [row] = await tx
          .update(switchPushes)
          .set({
            status: outcome.status === "confirmed-after-reconnect" ? "unchanged" : outcome.status,
            finishedAt: new Date(),
            confirmDeadline: null,
            plan: outcome.plan,
            note: outcome.status === "confirmed-after-reconnect" ? `confirmed ${outcome.confirmedChangeId}, which a lost session had left pending` : null,
            skipped: [...skipped, ...outcome.plan.skipped.map((x) => ({ subject: `${x.interface}: ${x.ip}`, reason: x.reason }))],
            compare: outcome.status === "committed" ? maskConfigSecrets(outcome.compare) : null,
            transcript: redactTranscript(session!.cli.transcript),
          })
          .where(eq(switchPushes.id, push!.id))
          .returning();
        // Every outcome here leaves the pushed ports holding the plan: the address timeline follows.
        await recordPushInTimeline(tx, { pushId: push!.id, switchId, ports: listHeldBindings(desired, outcome.plan.skipped) });
        // A port is clean only if its mark is still the one read before the facts were: a change
        // committed meanwhile re-marked it (marked_at is its transaction's start, which can be
        // older than another port's mark), so compare per port, never against one max over ports.
        const pushedMarks = dirty.filter((d) => pushedPorts.includes(d.interface));
        if (pushedMarks.length) {
          await tx.execute(sql`
          delete from switch_dirty_ports d using unnest(${`{${pushedMarks.map((m) => `"${m.interface}"`).join(",")}}`}::text[], ${`{${pushedMarks.map((m) => `"${m.markedAt}"`).join(",")}}`}::timestamptz[]) as seen(interface, marked_at)
          where d.switch_id = ${switchId} and d.interface = seen.interface and d.marked_at = seen.marked_at`);
        }
        // IPAM knows what the panel assigned and what we bind, in the push's own transaction; an
        // address the push took off its port (and records nowhere else) is released again.
        const recorded = plans
          .filter((p) => p.source === "panel" && !p.unknownReason && pushedPorts.includes(p.interface))
          .flatMap((p) => listPanelAddresses({ bindings: p.bindings, leftOut: p.skipped }, p.dedicatedServerId ?? null));
        await recordPanelAddresses(tx, recorded);
        await releasePanelAddresses(
          tx,
          outcome.plan.changes.flatMap((c) => c.current.filter((b) => !c.desired.some((d) => d.ip === b.ip)).map((b) => b.ip)),
          recorded,
        );
        // Events whose port is now clean are done, or skipped when the plan left their address out;
        // a port marked again since keeps its events queued.
        await finishEvents(tx, switchId, pushedPorts, plans);
        for (const c of outcome.plan.changes) {
          await writeAudit(tx, SYSTEM, {
            action: "switch.push",
            entityType: "switch_port",
            entityId: `${switchId}:${c.interface}`,
            before: c.current,
            after: c.desired,
            ticketId: changeId,
          });
        }
        return row!;
      });
    // The switch's state is settled; the record waits for the database as long as it takes
    // (bounded), and says so. Given up, the next run reads the history and records it then.
    let done: SwitchPushRow;
    try {
      done = await record();
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      databaseLostAt ??= new Date();
      done = await retryWhileDatabaseAway(record, () => db.execute(sql`select 1`), { maxWaitMs: RECORD_WAIT_MS });
    }
    if (databaseLostAt) {
      const note = `the database was unreachable from ${databaseLostAt.toISOString()} while the switch held this change (after commit confirmed); the push went on without it, ended ${outcome.status}, and was recorded when the database answered again at ${new Date().toISOString()}`;
      [done] = (await retryWhileDatabaseAway(
        () =>
          db
            .update(switchPushes)
            .set({ note: done.note ? `${done.note}; ${note}` : note })
            .where(eq(switchPushes.id, push!.id))
            .returning(),
        () => db.execute(sql`select 1`),
        { maxWaitMs: RECORD_WAIT_MS },
      )) as [SwitchPushRow];
    }
    // A port whose facts could not be read stays dirty: its run is asked again, the others are done.
    return { status: done.status, push: done, ...(isRetryNeeded ? { retryAt: new Date(Date.now() + FACT_RETRY_MS) } : {}) };
  } catch (e) {
    const error = e instanceof JunosError ? e : new JunosError("connection", (e as Error).message);
    if (error.kind === "host-key") await flagHostKeyMismatch(deps, sw, error);
    const [current] = await db
      .select({ status: switchPushes.status, confirmDeadline: switchPushes.confirmDeadline })
      .from(switchPushes)
      .where(eq(switchPushes.id, push!.id));
    // After `commit confirmed` the switch holds the change on trial: not a failure yet, the next run resolves it.
    const isOnTrial = current?.status === "awaiting-confirm" || error.isChangeOnTrial;
    const isDeferred = error.kind === "pending-confirm";
    const retryAt = isDeferred ? new Date(Date.now() + (error.rollbackInMinutes ?? confirmMinutes) * minuteMs + Math.min(minuteMs, 5_000)) : undefined;
    const [row] = await db
      .update(switchPushes)
      .set({
        status: isOnTrial ? "awaiting-confirm" : isDeferred ? "deferred" : "failed",
        finishedAt: isOnTrial ? null : new Date(),
        confirmDeadline: isDeferred
          ? new Date(Date.now() + (error.rollbackInMinutes ?? confirmMinutes) * minuteMs)
          : isOnTrial
            ? (current?.confirmDeadline ?? new Date(Date.now() + confirmMinutes * minuteMs))
            : undefined,
        errorKind: error.kind,
        errorMessage: maskConfigSecrets(
          isOnTrial ? `${error.message}: the switch holds the change on trial and rolls it back unless the next run confirms it` : error.message,
        ),
        switchText: error.switchText ? maskConfigSecrets(error.switchText) : null,
        transcript: session ? redactTranscript(session.cli.transcript) : null,
      })
      .where(eq(switchPushes.id, push!.id))
      .returning();
    // A failure retrying cannot fix (refused login, changed host key) ends the waiting events too.
    if (!error.isRetryable && !isDeferred) {
      await db
        .update(portSecurityEvents)
        .set({ status: "failed", skipReason: `push failed: ${maskConfigSecrets(error.message)}` })
        .where(and(eq(portSecurityEvents.switchId, switchId), eq(portSecurityEvents.status, "queued"), inArray(portSecurityEvents.interface, interfaces)));
    }
    return { status: row!.status, push: row!, error, retryAt };
  } finally {
    await session?.close();
  }
}

/**
 * Earlier pushes whose end was never seen, told from the switch's own commit history: the change
 * stands (its final commit went through), the switch rolled it back, or it never reached a commit.
 * A still-pending one is left to the push, which confirms it or waits for its rollback.
 */
async function resolveEarlierPushes(deps: ReconcileDeps, unresolved: SwitchPushRow[], history: CommitEntry[], byChangeId: string): Promise<void> {
  for (const row of unresolved) {
    const fate = findChangeFate(history, row.changeId);
    if (fate === "pending") continue;
    const resolution =
      fate === "committed"
        ? { status: "committed" as const, note: `the session was lost before the switch answered; run ${byChangeId} found the commit in the switch's history` }
        : fate === "rolled-back"
          ? {
              status: "rolled-back-by-switch" as const,
              note: `nobody confirmed the commit in time and the switch rolled it back (seen by run ${byChangeId}); the ports were planned again`,
            }
          : { status: "failed" as const, note: `interrupted before any commit (seen by run ${byChangeId}): the switch was not changed` };
    await deps.db
      .update(switchPushes)
      .set({
        ...resolution,
        finishedAt: row.finishedAt ?? new Date(),
        confirmDeadline: null,
        errorMessage: row.errorMessage ?? (fate === "absent" ? "the run ended without a result (worker stopped)" : null),
      })
      .where(eq(switchPushes.id, row.id));
  }
}

/** Automation off for this switch: the ports stay dirty (pushed once it is on again) and waiting events say why. */
async function skipDisabledSwitch(deps: ReconcileDeps, sw: SwitchRow, interfaces: string[]): Promise<ReconcileResult> {
  if (interfaces.length) {
    await deps.db
      .update(portSecurityEvents)
      .set({ status: "skipped", skipReason: `automation is off for switch ${sw.name}` })
      .where(and(eq(portSecurityEvents.switchId, sw.id), eq(portSecurityEvents.status, "queued"), inArray(portSecurityEvents.interface, interfaces)));
  }
  return { status: "idle", reason: `automation is off for switch ${sw.name}` };
}

/**
 * What each dirty port should hold, read now: the plan every reader shares. A port without an
 * answer (panel not configured, one server's facts unreadable) is not pushed: it stays dirty, the
 * skip says why, and a retry is asked when the facts may be readable later. The other ports proceed.
 */
async function gatherDesired(
  deps: ReconcileDeps,
  switchId: number,
  interfaces: string[],
): Promise<{ desired: PortBindings[]; skipped: Skip[]; plans: DesiredPort[]; isRetryNeeded: boolean }> {
  const desired: PortBindings[] = [];
  const skipped: Skip[] = [];
  const plans = await computeDesiredPorts(deps, switchId, interfaces);
  for (const port of plans) {
    if (port.unknownReason) {
      skipped.push({ subject: port.interface, reason: port.unknownReason });
      continue;
    }
    desired.push({ interface: port.interface, bindings: port.bindings.map(toBinding), ...(port.source === "panel" ? { description: port.description } : {}) });
    skipped.push(...port.skipped.map((s) => ({ subject: `${port.interface}: ${s.subject}`, reason: s.reason })));
  }
  // Links learned while planning are kept: the VM stays that server from now on.
  await storeLearnedVmLinks(
    deps.db,
    plans.flatMap((p) => p.learned ?? []),
  );
  return { desired, skipped, plans, isRetryNeeded: plans.some((p) => p.isRetryable) };
}

/**
 * Queued events of pushed ports end here: an `ip_assigned` (or provisioning) whose address the
 * plan left out ends "skipped" with the reason, never "done"; the rest are done.
 */
async function finishEvents(tx: Tx, switchId: number, pushedPorts: string[], plans: DesiredPort[]): Promise<void> {
  const events = await tx
    .select({ id: portSecurityEvents.id, action: portSecurityEvents.action, ip: portSecurityEvents.ip, interface: portSecurityEvents.interface })
    .from(portSecurityEvents)
    .where(
      and(
        eq(portSecurityEvents.switchId, switchId),
        eq(portSecurityEvents.status, "queued"),
        inArray(portSecurityEvents.interface, pushedPorts.length ? pushedPorts : [""]),
        sql`not exists (select 1 from switch_dirty_ports d where d.switch_id = ${portSecurityEvents.switchId} and d.interface = ${portSecurityEvents.interface})`,
      ),
    );
  for (const e of events) {
    const plan = plans.find((p) => p.interface === e.interface);
    const isLeftOut = e.action === "ip_assigned" && e.ip && plan && !plan.bindings.some((b) => b.ip === e.ip);
    const why = isLeftOut ? plan.skipped.filter((s) => isSkipAbout(s, e.ip!)) : [];
    await tx
      .update(portSecurityEvents)
      .set(
        why.length
          ? { status: "skipped", skipReason: why.map((s) => `${s.subject}: ${s.reason}`).join("; ") }
          : isLeftOut
            ? { status: "skipped", skipReason: `${e.ip} is not among ${e.interface}'s desired bindings` }
            : { status: "done" },
      )
      .where(eq(portSecurityEvents.id, e.id));
  }
}

/** Configuration text is kept only sealed, as a backup; the transcript says where it went. */
function redactTranscript(entries: TranscriptEntry[]): TranscriptEntry[] {
  return entries.map((e) =>
    /show configuration/.test(e.command)
      ? { ...e, output: `[${e.output.split("\n").length} lines of configuration: kept sealed as a backup]` }
      : { ...e, output: maskConfigSecrets(e.output) },
  );
}

/** First contact records the key as unverified, without logging in; nothing is pushed until an admin approves it. */
async function recordFirstContact(deps: ReconcileDeps, sw: SwitchRow): Promise<ReconcileResult> {
  const fingerprint = await (deps.probeHostKey ?? probeHostKey)({ host: sw.host, port: sw.port });
  await deps.db.update(switches).set({ hostKeyFingerprint: fingerprint, hostKeyState: "unverified", updatedAt: new Date() }).where(eq(switches.id, sw.id));
  return { status: "idle", reason: `host key ${fingerprint} recorded: waiting for an admin to approve it` };
}

async function flagHostKeyMismatch(deps: ReconcileDeps, sw: SwitchRow, error: JunosError): Promise<void> {
  if (sw.hostKeyState !== "approved") return;
  const presented = /host key (SHA256:\S+)/.exec(error.message)?.[1] ?? null;
  await deps.db.transaction(async (tx) => {
    await tx.update(switches).set({ hostKeyState: "mismatch", hostKeyPresented: presented, updatedAt: new Date() }).where(eq(switches.id, sw.id));
    await writeAudit(tx, SYSTEM, {
      action: "switch.host_key_mismatch",
      entityType: "switch",
      entityId: String(sw.id),
      before: { fingerprint: sw.hostKeyFingerprint },
      after: { presented },
    });
  });
}
