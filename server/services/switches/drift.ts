import { eq } from "drizzle-orm";
import { switchDriftReports } from "@/drizzle/schema";
import type { Binding } from "@/lib/junos/bindings";
import { parseBindingsFromDisplaySet, parseDefinedVlans } from "@/lib/junos/config-parse";
import { findBindingDrift, findRepairablePorts, type PortDrift } from "@/lib/junos/drift";
import { JunosError } from "@/lib/junos/errors";
import { splitByDefinedVlans } from "@/lib/junos/plan";
import { toBinding } from "@/lib/port-security/plan";
import { AppError } from "@/lib/errors";
import type { Tx, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { computeDesiredPorts } from "../port-state/desired";
import { recordSwitchVlans } from "./backups";
import { detectSwitchDialect } from "../port-state/dialect";
import { getSettings } from "../platform/settings";
import { readSwitchConfig, type SwitchDeps } from "./session";
import { getSwitch, requestSwitchPush } from "./switches";

export interface DriftAuditDeps extends SwitchDeps {
  /** The panel's connectors: panel-managed ports' desired bindings come from its facts. */
  panel?: OutsideSystems;
}

const SYSTEM = { id: "system:drift-audit" };

/**
 * Compares what the switch holds with what it should hold (every port we manage, manual or
 * panel, answered as the push answers it) and stores the report. Nothing is changed on the switch;
 * fixing is a reconcile's job, asked by an admin's Repair or, when the setting is on, by this audit.
 */
export async function auditSwitchDrift(deps: DriftAuditDeps, switchId: number): Promise<PortDrift[] | null> {
  const sw = await getSwitch(deps.db, switchId);
  let ports: PortDrift[] | null = null;
  let error: string | null = null;
  try {
    if (sw.hostKeyState !== "approved") throw new JunosError("host-key", "host key not approved");
    const { config, first: dialect } = await readSwitchConfig(deps, sw, (session) => detectSwitchDialect(deps.db, sw, session));
    // The switch's VLAN names as it shows them now: the desired state names VLANs the same way.
    await recordSwitchVlans(deps.db, switchId, config);
    ports = await compareWithDesired(deps, switchId, config, dialect);
  } catch (e) {
    if (!(e instanceof JunosError)) throw e;
    error = `${e.kind}: ${e.message}`;
  }
  const repairable = ports ? findRepairablePorts(ports) : [];
  const isAutoRepair = repairable.length > 0 && (await getSettings(deps.db)).isDriftAutoRepairOn;
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(switchDriftReports)
      .values({ switchId, ports, error })
      .onConflictDoUpdate({ target: switchDriftReports.switchId, set: { ports, error, checkedAt: new Date() } });
    if (isAutoRepair) await queueRepair(tx, SYSTEM, switchId, repairable, "auto");
  });
  return ports;
}

/**
 * The switch's bindings against every managed port's desired ones. A binding a push would leave
 * out (its VLAN undefined on the switch) is not drift: no push could ever add it. A panel port
 * without an answer is reported with its reason, and its bindings are neither drift nor unmanaged.
 */
async function compareWithDesired(
  deps: DriftAuditDeps,
  switchId: number,
  config: string,
  dialect: Parameters<typeof parseBindingsFromDisplaySet>[1],
): Promise<PortDrift[]> {
  const actual = parseBindingsFromDisplaySet(config, dialect).ports;
  const defined = parseDefinedVlans(config);
  const desired = await computeDesiredPorts({ db: deps.db, panel: deps.panel }, switchId);
  const known = new Map<string, Binding[]>();
  const source = new Map<string, "manual" | "panel">();
  const unknown: PortDrift[] = [];
  for (const p of desired) {
    if (p.source === "none") continue;
    if (p.unknownReason) unknown.push({ interface: p.interface, missing: [], extra: [], isManaged: true, source: p.source, unknownReason: p.unknownReason });
    else {
      known.set(p.interface, splitByDefinedVlans(p.bindings.map(toBinding), defined).pushable);
      source.set(p.interface, p.source);
    }
  }
  const unknownIfaces = new Set(unknown.map((u) => u.interface));
  const compared = findBindingDrift(known, new Map([...actual].filter(([iface]) => !unknownIfaces.has(iface))));
  return [...compared.map((d) => (source.has(d.interface) ? { ...d, source: source.get(d.interface) } : d)), ...unknown].sort((a, b) =>
    a.interface.localeCompare(b.interface),
  );
}

/**
 * Repair from the last drift report: exactly the drifted managed ports are marked dirty and the
 * switch's reconcile queued, so the fix goes through the normal push (backup, guard, confirm).
 */
export async function requestDriftRepair(db: DbOrTx, actor: Actor, switchId: number): Promise<{ jobId: number; ports: string[] }> {
  return db.transaction(async (tx) => {
    await getSwitch(tx, switchId);
    const [report] = await tx.select().from(switchDriftReports).where(eq(switchDriftReports.switchId, switchId));
    if (!report || report.error || !report.ports) throw new AppError("CONFLICT", `switch ${switchId} has no drift report to repair from: check drift first`);
    const ports = findRepairablePorts(report.ports as PortDrift[]);
    if (ports.length === 0) throw new AppError("CONFLICT", `no managed port of switch ${switchId} drifted at the last check: nothing to repair`);
    const jobId = await queueRepair(tx, actor, switchId, ports, "manual");
    return { jobId, ports };
  });
}

/** Marks the ports dirty and queues the run, audited, in the caller's transaction. */
async function queueRepair(tx: Tx, actor: Actor, switchId: number, ports: string[], mode: "manual" | "auto"): Promise<number> {
  const jobId = await requestSwitchPush(tx, switchId, ports, `drift-repair:${actor.id}`);
  await writeAudit(tx, actor, { action: "switch.drift_repair", entityType: "switch", entityId: String(switchId), after: { ports, jobId, mode } });
  return jobId;
}
