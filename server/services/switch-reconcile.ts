import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { panelPorts, portSecurityEvents, switchDirtyPorts, switchPortBindings, switchPushes, switches, type SwitchPushRow, type SwitchRow } from "@/drizzle/schema";
import type { Skip } from "@/lib/port-security/rules";
import type { Binding, PortBindings } from "@/lib/junos/bindings";
import { detectDialectFromVersion } from "@/lib/junos/dialect-detect";
import type { JunosDialect } from "@/lib/junos/dialect";
import { JunosError } from "@/lib/junos/errors";
import { maskConfigSecrets } from "@/lib/junos/mask-secrets";
import type { TranscriptEntry } from "@/server/connectors/junos/cli";
import { probeHostKey } from "@/server/connectors/junos/host-key-probe";
import { pushBindings } from "@/server/connectors/junos/push";
import type { JunosSession } from "@/server/connectors/junos/session";
import { writeAudit } from "./audit";
import { computePanelPortBindings, type PanelDeps } from "./panel-facts";
import { getSettings } from "./settings";
import { storeBackup } from "./switch-backups";
import { openSwitchSession, type SwitchDeps } from "./switch-session";

export interface ReconcileDeps extends SwitchDeps {
  /** The panel's connectors, for ports whose bindings come from Tenantos and Proxmox. */
  panel?: PanelDeps;
  probeHostKey?: typeof probeHostKey;
  /** Minutes the switch waits for confirmation before rolling back by itself. */
  confirmMinutes?: number;
}

export type ReconcileResult = { status: "idle" } | { status: SwitchPushRow["status"]; push: SwitchPushRow; error?: JunosError };

const SYSTEM = { id: "system:reconcile" };

/**
 * One reconcile run for one switch: take the dirty ports, read their desired bindings now (events
 * are hints, not instructions), push them in one session and one commit, record everything.
 * Ports stay dirty unless the push succeeded, so a failed or repeated run converges.
 */
export async function reconcileSwitch(deps: ReconcileDeps, switchId: number, trigger: string): Promise<ReconcileResult> {
  const { db } = deps;
  const [sw] = await db.select().from(switches).where(eq(switches.id, switchId));
  if (!sw) return { status: "idle" };
  // The snapshot stays Postgres text: a JS Date would drop the microseconds and never match again.
  const dirty = await db
    .select({ interface: switchDirtyPorts.interface, markedAt: sql<string>`${switchDirtyPorts.markedAt}::text` })
    .from(switchDirtyPorts)
    .where(eq(switchDirtyPorts.switchId, switchId));
  // A new switch is contacted once, with nothing to push, to record its host key for approval.
  const isFirstContact = sw.hostKeyState === "unknown";
  if (dirty.length === 0 && !isFirstContact) return { status: "idle" };
  const interfaces = dirty.map((d) => d.interface).sort();
  const { desired, skipped } = await gatherDesired(deps, switchId, interfaces);
  const pushedPorts = desired.map((d) => d.interface);
  const changeId = `chg-${randomUUID()}`;
  const [push] = await db.insert(switchPushes).values({ changeId, switchId, trigger, status: "running", ports: interfaces, skipped }).returning();
  let session: JunosSession | undefined;
  try {
    if (sw.hostKeyState !== "approved") return await recordFirstContact(deps, sw);
    session = await openSwitchSession(deps, sw, sw.hostKeyFingerprint ?? undefined);
    const dialect = sw.dialect ?? (await detectDialect(deps, sw, session));
    const outcome = await pushBindings(session, {
      dialect,
      group: sw.dhcpSecurityGroup,
      desired,
      changeId,
      confirmMinutes: deps.confirmMinutes ?? 5,
      onBackup: async (text) => {
        const backup = await storeBackup(db, deps.secretsKey, { switchId, text, reason: "pre-change", changeId });
        await db.update(switchPushes).set({ backupId: backup.id }).where(eq(switchPushes.id, push!.id));
      },
    });
    const done = await db.transaction(async (tx) => {
      // The result of our change: a later scheduled backup that differs from it was made by hand.
      if (outcome.status === "committed") await storeBackup(tx, deps.secretsKey, { switchId, text: outcome.postChangeConfig, reason: "post-change", changeId });
      const [row] = await tx
        .update(switchPushes)
        .set({
          status: outcome.status,
          finishedAt: new Date(),
          plan: outcome.plan,
          skipped: [...skipped, ...outcome.plan.skipped.map((x) => ({ subject: `${x.interface}: ${x.ip}`, reason: x.reason }))],
          compare: outcome.status === "committed" ? maskConfigSecrets(outcome.compare) : null,
          transcript: redactTranscript(session!.cli.transcript),
        })
        .where(eq(switchPushes.id, push!.id))
        .returning();
      // A port is clean only if its mark is still the one read before the facts were: a change
      // committed meanwhile re-marked it (marked_at is its transaction's start, which can be
      // older than another port's mark), so compare per port, never against one max over ports.
      const pushedMarks = dirty.filter((d) => pushedPorts.includes(d.interface));
      if (pushedMarks.length) {
        await tx.execute(sql`
          delete from switch_dirty_ports d using unnest(${`{${pushedMarks.map((m) => `"${m.interface}"`).join(",")}}`}::text[], ${`{${pushedMarks.map((m) => `"${m.markedAt}"`).join(",")}}`}::timestamptz[]) as seen(interface, marked_at)
          where d.switch_id = ${switchId} and d.interface = seen.interface and d.marked_at = seen.marked_at`);
      }
      // Events whose port is now clean are done; a port marked again since keeps its events queued.
      await tx.execute(sql`
        update port_security_events set status = 'done'
        where switch_id = ${switchId} and status = 'queued' and ${inArray(portSecurityEvents.interface, pushedPorts.length ? pushedPorts : [""])}
          and not exists (select 1 from switch_dirty_ports d where d.switch_id = port_security_events.switch_id and d.interface = port_security_events.interface)`);
      for (const c of outcome.plan.changes) {
        await writeAudit(tx, SYSTEM, { action: "switch.push", entityType: "switch_port", entityId: `${switchId}:${c.interface}`, before: c.current, after: c.desired, ticketId: changeId });
      }
      return row!;
    });
    return { status: done.status, push: done };
  } catch (e) {
    const error = e instanceof JunosError ? e : new JunosError("connection", (e as Error).message);
    if (error.kind === "host-key") await flagHostKeyMismatch(deps, sw, error);
    const [row] = await db
      .update(switchPushes)
      .set({
        status: "failed",
        finishedAt: new Date(),
        errorKind: error.kind,
        errorMessage: maskConfigSecrets(error.message),
        switchText: error.switchText ? maskConfigSecrets(error.switchText) : null,
        transcript: session ? redactTranscript(session.cli.transcript) : null,
      })
      .where(eq(switchPushes.id, push!.id))
      .returning();
    // A failure retrying cannot fix (refused login, changed host key) ends the waiting events too.
    if (!error.isRetryable) {
      await db
        .update(portSecurityEvents)
        .set({ status: "failed", skipReason: `push failed: ${maskConfigSecrets(error.message)}` })
        .where(and(eq(portSecurityEvents.switchId, switchId), eq(portSecurityEvents.status, "queued"), inArray(portSecurityEvents.interface, interfaces)));
    }
    return { status: "failed", push: row!, error };
  } finally {
    await session?.close();
  }
}

/**
 * What each dirty port should hold, read now: panel-managed ports from the facts (Tenantos,
 * Proxmox, VMACs, the allowlist), others from their manual bindings; no row at all means wipe.
 */
async function gatherDesired(deps: ReconcileDeps, switchId: number, interfaces: string[]): Promise<{ desired: PortBindings[]; skipped: Skip[] }> {
  const [manual, panelRows, settings] = await Promise.all([
    deps.db.select().from(switchPortBindings).where(and(eq(switchPortBindings.switchId, switchId), inArray(switchPortBindings.interface, interfaces))),
    deps.db.select().from(panelPorts).where(and(eq(panelPorts.switchId, switchId), inArray(panelPorts.interface, interfaces))),
    getSettings(deps.db),
  ]);
  const byManual = new Map(manual.map((r) => [r.interface, r.bindings as Binding[]]));
  const byPanel = new Map(panelRows.map((r) => [r.interface, r]));
  const desired: PortBindings[] = [];
  const skipped: Skip[] = [];
  for (const iface of interfaces) {
    const panelPort = byPanel.get(iface);
    if (panelPort && deps.panel) {
      const result = await computePanelPortBindings(deps.db, deps.panel, panelPort, settings.vlanAllowlist);
      desired.push({ interface: iface, bindings: result.bindings, description: result.description });
      skipped.push(...result.skipped.map((s) => ({ ...s, subject: `${iface}: ${s.subject}` })));
    } else if (panelPort) {
      // Never wipe a port for want of configuration: leave it untouched, and dirty.
      skipped.push({ subject: iface, reason: "takes its bindings from the panel, and Tenantos is not configured: left untouched" });
    } else {
      desired.push({ interface: iface, bindings: byManual.get(iface) ?? [] });
    }
  }
  return { desired, skipped };
}

/** Configuration text is kept only sealed, as a backup; the transcript says where it went. */
function redactTranscript(entries: TranscriptEntry[]): TranscriptEntry[] {
  return entries.map((e) => (/show configuration/.test(e.command) ? { ...e, output: `[${e.output.split("\n").length} lines of configuration: kept sealed as a backup]` } : { ...e, output: maskConfigSecrets(e.output) }));
}

async function detectDialect(deps: ReconcileDeps, sw: SwitchRow, session: JunosSession): Promise<JunosDialect> {
  let dialect = detectDialectFromVersion(await session.run("show version"));
  if (!dialect) {
    // Unknown model: ELS has no ethernet-switching-options hierarchy at all.
    const probe = await session.run("show configuration ethernet-switching-options | display set", { allowError: true });
    dialect = /syntax error/.test(probe) ? "els" : "non-els";
  }
  await deps.db.update(switches).set({ dialect, updatedAt: new Date() }).where(eq(switches.id, sw.id));
  return dialect;
}

/** First contact records the key as unverified, without logging in; nothing is pushed until an admin approves it. */
async function recordFirstContact(deps: ReconcileDeps, sw: SwitchRow): Promise<ReconcileResult> {
  if (sw.hostKeyState === "unknown") {
    const fingerprint = await (deps.probeHostKey ?? probeHostKey)({ host: sw.host, port: sw.port });
    await deps.db.update(switches).set({ hostKeyFingerprint: fingerprint, hostKeyState: "unverified", updatedAt: new Date() }).where(eq(switches.id, sw.id));
  }
  throw new JunosError("host-key", `the host key of ${sw.name} is not approved yet: approve its fingerprint on the switch page`);
}

async function flagHostKeyMismatch(deps: ReconcileDeps, sw: SwitchRow, error: JunosError): Promise<void> {
  if (sw.hostKeyState !== "approved") return;
  const presented = /host key (SHA256:\S+)/.exec(error.message)?.[1] ?? null;
  await deps.db.transaction(async (tx) => {
    await tx.update(switches).set({ hostKeyState: "mismatch", hostKeyPresented: presented, updatedAt: new Date() }).where(eq(switches.id, sw.id));
    await writeAudit(tx, SYSTEM, { action: "switch.host_key_mismatch", entityType: "switch", entityId: String(sw.id), before: { fingerprint: sw.hostKeyFingerprint }, after: { presented } });
  });
}
