import { and, inArray } from "drizzle-orm";
import { panelPorts, switchPortBindings, type PanelPortRow } from "@/drizzle/schema";
import type { Binding } from "@/lib/junos/bindings";
import type { LeftOut, PlanFlag, PlannedBinding, VmLink } from "@/lib/port-security/plan";
import type { Settings } from "@/lib/settings/schema";
import type { DbOrTx } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { getSettings } from "../platform/settings";
import { createFactReader, type FactReader } from "./facts";
import { computePanelPortPlan } from "./plan";

/**
 * What one port should hold: the plan that the push, drift, "why", the switch page, the preview,
 * Apply All and the port map all read. `source` says who decides: manual bindings, the panel's
 * facts, or nobody (an explicit interface with no row: wiped). Each binding carries where it comes
 * from; `skipped` lists every candidate left out with its rule; `flags` what is bound but worth a
 * look. `unknownReason` is set when the answer cannot be had now (the panel is not configured, a
 * fact could not be read): such a port is neither pushed nor called drifted, and is retried.
 */
export interface DesiredPort {
  switchId?: number;
  interface: string;
  source: "manual" | "panel" | "none";
  bindings: PlannedBinding[];
  description?: string;
  /** As the rules report them, subjects unprefixed (an IP, a VM, a server). */
  skipped: LeftOut[];
  flags: PlanFlag[];
  unknownReason?: string;
  /** The facts could not be read now (not a missing setting): the port is retried soon. */
  isRetryable?: boolean;
  learned?: VmLink[];
  /** The dedicated server whose port this is (its Tenantos assignments are its, bound or not). */
  dedicatedServerId?: number;
}

/** A port we manage, without its bindings computed: who decides them. */
export type ManagedPort = { switchId: number; interface: string } & ({ source: "manual"; bindings: Binding[] } | { source: "panel"; panelPort: PanelPortRow });

export interface PortStateDeps {
  db: DbOrTx;
  panel?: OutsideSystems;
}

/** Why a panel port has no answer without Tenantos; reconcile has always recorded this skip. */
export const PANEL_NOT_CONFIGURED = "takes its bindings from the panel, and Tenantos is not configured: left untouched";

/**
 * Every port we manage on these switches (all switches when omitted), or only `interfaces` of one.
 * A port with a panel row is the panel's, even if a manual row lingers: the panel wins, as the
 * reconcile has always decided.
 */
export async function listManagedPorts(db: DbOrTx, filter: { switchIds?: number[]; interfaces?: string[] } = {}): Promise<ManagedPort[]> {
  const bySwitch = (col: typeof switchPortBindings.switchId | typeof panelPorts.switchId) =>
    filter.switchIds ? inArray(col, filter.switchIds.length ? filter.switchIds : [-1]) : undefined;
  const byIface = (col: typeof switchPortBindings.interface | typeof panelPorts.interface) =>
    filter.interfaces ? inArray(col, filter.interfaces.length ? filter.interfaces : [""]) : undefined;
  const [manual, panel] = await Promise.all([
    db
      .select()
      .from(switchPortBindings)
      .where(and(bySwitch(switchPortBindings.switchId), byIface(switchPortBindings.interface))),
    db
      .select()
      .from(panelPorts)
      .where(and(bySwitch(panelPorts.switchId), byIface(panelPorts.interface))),
  ]);
  const key = (s: number, i: string) => `${s}|${i}`;
  const panelKeys = new Set(panel.map((p) => key(p.switchId, p.interface)));
  return [
    ...panel.map((p): ManagedPort => ({ switchId: p.switchId, interface: p.interface, source: "panel", panelPort: p })),
    ...manual
      .filter((m) => !panelKeys.has(key(m.switchId, m.interface)))
      .map((m): ManagedPort => ({ switchId: m.switchId, interface: m.interface, source: "manual", bindings: m.bindings as Binding[] })),
  ].sort((a, b) => a.switchId - b.switchId || a.interface.localeCompare(b.interface));
}

/**
 * A panel port's desired state from the facts as they are now (Tenantos, Proxmox, VMACs, the
 * allowlist). The port need not be remembered yet: the preview asks before any push.
 */
export async function computePanelPortState(deps: PortStateDeps, port: PanelPortRow, settings?: Settings, facts?: FactReader): Promise<DesiredPort> {
  // Never wipe a port for want of configuration: no answer, so it is left untouched.
  if (!deps.panel) return { interface: port.interface, source: "panel", bindings: [], skipped: [], flags: [], unknownReason: PANEL_NOT_CONFIGURED };
  const { vlanAllowlist, isUnknownVmBound } = settings ?? (await getSettings(deps.db));
  const result = await computePanelPortPlan(deps.db, deps.panel, port, { allowlist: vlanAllowlist, isUnknownVmBound }, facts ?? createFactReader(deps.panel));
  return {
    switchId: port.switchId,
    interface: port.interface,
    source: "panel",
    bindings: result.bindings,
    skipped: result.leftOut,
    flags: result.flags,
    learned: result.learned,
    ...(port.kind === "dedicated" ? { dedicatedServerId: port.serverId } : {}),
    ...(result.description !== undefined ? { description: result.description } : {}),
    // Facts that cannot be read (a field missing, no backup yet) leave the port as it is: never a wipe for want of them.
    ...(result.unknownReason ? { unknownReason: `left untouched: ${result.unknownReason}` } : {}),
  };
}

/**
 * What each port of a switch should hold, read now. Without `interfaces`: every port we manage.
 * With them: exactly those, and one with no row at all is to be wiped (source "none"). A panel
 * that fails to answer for one port leaves that port unknown (untouched, retried): the others
 * proceed, so one server's unreadable facts never hold up the switch.
 */
export async function computeDesiredPorts(deps: PortStateDeps, switchId: number, interfaces?: string[], facts?: FactReader): Promise<DesiredPort[]> {
  const [managed, settings] = await Promise.all([listManagedPorts(deps.db, { switchIds: [switchId], interfaces }), getSettings(deps.db)]);
  const byIface = new Map(managed.map((m) => [m.interface, m]));
  const ifaces = interfaces ?? managed.map((m) => m.interface);
  const out: DesiredPort[] = [];
  for (const iface of ifaces) {
    const m = byIface.get(iface);
    if (!m) out.push({ switchId, interface: iface, source: "none", bindings: [], skipped: [], flags: [] });
    else if (m.source === "manual")
      out.push({
        switchId,
        interface: iface,
        source: "manual",
        bindings: m.bindings.map((b) => ({ ...b, source: { kind: "manual" } })),
        skipped: [],
        flags: [],
      });
    else {
      try {
        out.push(await computePanelPortState(deps, m.panelPort, settings, (facts ??= deps.panel ? createFactReader(deps.panel) : undefined)));
      } catch (e) {
        out.push({
          switchId,
          interface: iface,
          source: "panel",
          bindings: [],
          skipped: [],
          flags: [],
          isRetryable: true,
          unknownReason: `the panel's facts for server ${m.panelPort.serverId} cannot be read (${(e as Error).message}): left untouched, retried`,
        });
      }
    }
  }
  return out;
}
