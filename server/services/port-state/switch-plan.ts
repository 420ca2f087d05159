import { and, eq, inArray, or, exists } from "drizzle-orm";
import { panelPorts, switchPortBindings, switches } from "@/drizzle/schema";
import { bindingKey, type Binding } from "@/lib/junos/bindings";
import { splitByDefinedVlans } from "@/lib/junos/plan";
import { toBinding, type LeftOut, type PlanFlag, type PlannedBinding } from "@/lib/port-security/plan";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { DbOrTx } from "@/server/db/client";
import { computeDesiredPorts, type DesiredPort } from "./desired";
import { createFactReader } from "./facts";
import { readLatestBindings } from "./latest-bindings";

/** One port as the plan wants it, beside what the switch's latest backup holds, and the difference. */
export interface PortPlanView {
  interface: string;
  source: DesiredPort["source"];
  /** Each desired binding with where it comes from. */
  desired: PlannedBinding[];
  /** null: no backup of the switch yet (the web never opens a session to a switch). */
  current: Binding[] | null;
  adds: PlannedBinding[];
  removes: Binding[];
  unchanged: PlannedBinding[];
  leftOut: LeftOut[];
  flags: PlanFlag[];
  /** The plan has no answer now: the port is left as it is. */
  unknownReason: string | null;
}

export interface SwitchPlanView {
  switchId: number;
  switchName: string;
  currentAsOf: Date | null;
  ports: PortPlanView[];
}

const keyOf = (b: Binding) => bindingKey(toBinding(b));

/**
 * The plan of every managed port of these switches (all switches with managed ports when omitted),
 * against each switch's latest backup: the switch page, the Apply All preview and the Why page read
 * it, and the push computes the same ports from the same plan. Reads only.
 */
export async function computeSwitchPlans(deps: { db: DbOrTx; panel?: OutsideSystems; secretsKey: Buffer }, switchIds?: number[]): Promise<SwitchPlanView[]> {
  const { db } = deps;
  const managed = or(
    exists(db.select({ one: panelPorts.switchId }).from(panelPorts).where(eq(panelPorts.switchId, switches.id))),
    exists(db.select({ one: switchPortBindings.switchId }).from(switchPortBindings).where(eq(switchPortBindings.switchId, switches.id))),
  );
  const rows = await db
    .select({ id: switches.id, name: switches.name })
    .from(switches)
    .where(switchIds ? and(inArray(switches.id, switchIds.length ? switchIds : [-1]), managed) : managed)
    .orderBy(switches.name);
  const latest = await readLatestBindings(
    db,
    deps.secretsKey,
    rows.map((r) => r.id),
  );
  // One fact reader for every switch: Tenantos and Proxmox are asked once per view.
  const facts = deps.panel ? createFactReader(deps.panel) : undefined;
  const out: SwitchPlanView[] = [];
  for (const sw of rows) {
    const backup = latest.get(sw.id);
    const ports = await computeDesiredPorts({ db, panel: deps.panel }, sw.id, undefined, facts);
    out.push({
      switchId: sw.id,
      switchName: sw.name,
      currentAsOf: backup?.takenAt ?? null,
      ports: ports.map((p) => {
        const current = backup?.parsed ? (backup.parsed.ports.get(p.interface) ?? []) : null;
        // As the push will: a binding on a VLAN the switch does not define is left out, and said so.
        const { pushable, leftOut } = splitByDefinedVlans(p.bindings, backup?.definedVlans);
        const have = new Set((current ?? []).map(keyOf));
        const want = new Set(pushable.map(keyOf));
        const isUnknown = Boolean(p.unknownReason);
        return {
          interface: p.interface,
          source: p.source,
          desired: pushable,
          current,
          adds: isUnknown ? [] : pushable.filter((b) => !have.has(keyOf(b))),
          removes: isUnknown ? [] : (current ?? []).filter((b) => !want.has(keyOf(b))),
          unchanged: pushable.filter((b) => have.has(keyOf(b))),
          leftOut: [
            ...p.skipped,
            ...leftOut.map((b) => ({ subject: b.ip, ip: b.ip, rule: "vlan" as const, reason: `VLAN ${b.vlan} is not defined on ${sw.name}` })),
          ],
          flags: p.flags,
          unknownReason: p.unknownReason ?? null,
        };
      }),
    });
  }
  return out;
}
