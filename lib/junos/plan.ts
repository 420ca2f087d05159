import { AppError } from "../errors";
import { areBindingsEqual, normalizeBindings, type Binding, type PortBindings } from "./bindings";
import type { BindingLocation, ParsedBindings } from "./config-parse";
import { buildSetBinding, type JunosDialect } from "./dialect";
import { assertSafeCommand } from "./safe-command";
import { parseDescription, parseGroupName, physicalInterface } from "./values";

export interface PortChange {
  interface: string;
  current: Binding[];
  desired: Binding[];
  /** Present when the interface description changes too. */
  description?: { current: string | null; desired: string };
  commands: string[];
}

export interface PushPlan {
  dialect: JunosDialect;
  changes: PortChange[];
  /** Ports asked for whose bindings already match: they get no command. */
  unchanged: string[];
  /** Bindings left out because the switch does not define their VLAN (the commit would fail for every port). */
  skipped: Array<{ interface: string; ip: string; reason: string }>;
}

function buildDelete(dialect: JunosDialect, iface: string, loc: BindingLocation): string {
  return dialect === "non-els"
    ? `delete ethernet-switching-options secure-access-port interface ${iface} ${loc.keyword}`
    : `delete vlans ${loc.vlan} forwarding-options dhcp-security group ${loc.group} interface ${iface} ${loc.keyword}`;
}

/**
 * A binding on a VLAN the switch does not define is left out: Junos would refuse the whole commit,
 * holding back every other port. One rule for the plan, the preview and the drift audit, so they
 * never disagree on what a push would leave. No defined set (unknown): everything is pushable.
 */
export function splitByDefinedVlans<B extends Binding>(
  bindings: readonly B[],
  defined: ReadonlySet<string> | null | undefined,
): { pushable: B[]; leftOut: B[] } {
  if (!defined) return { pushable: [...bindings], leftOut: [] };
  return { pushable: bindings.filter((b) => defined.has(b.vlan)), leftOut: bindings.filter((b) => !defined.has(b.vlan)) };
}

/**
 * Full replace per port, touching only the binding subtrees: the port's other security settings
 * (mac-limit, dhcp-trusted, …) survive. A port whose bindings already match gets no command.
 */
export function planPush(opts: {
  dialect: JunosDialect;
  group: string;
  current: ParsedBindings;
  desired: PortBindings[];
  definedVlans?: ReadonlySet<string>;
}): PushPlan {
  const group = parseGroupName(opts.group);
  const seen = new Set<string>();
  const changes: PortChange[] = [];
  const unchanged: string[] = [];
  const skipped: PushPlan["skipped"] = [];
  for (const port of opts.desired) {
    if (seen.has(port.interface)) throw new AppError("BAD_REQUEST", `interface ${port.interface} appears twice in one plan`);
    seen.add(port.interface);
    const { pushable, leftOut } = splitByDefinedVlans(port.bindings, opts.definedVlans);
    for (const b of leftOut) skipped.push({ interface: port.interface, ip: b.ip, reason: `VLAN ${b.vlan} is not defined on the switch` });
    const desired = normalizeBindings(pushable);
    const ips = desired.map((b) => b.ip);
    const twice = ips.find((ip, i) => ips.indexOf(ip) !== i);
    if (twice) throw new AppError("BAD_REQUEST", `IP ${twice} is bound twice on ${port.interface}`);
    const current = opts.current.ports.get(port.interface) ?? [];
    const physical = physicalInterface(port.interface);
    const currentDescription = opts.current.descriptions.get(physical) ?? null;
    const description = port.description === undefined ? undefined : parseDescription(port.description);
    const isDescriptionChanged = description !== undefined && description !== currentDescription;
    const isBindingsChanged = !areBindingsEqual(current, desired);
    if (!isBindingsChanged && !isDescriptionChanged) {
      unchanged.push(port.interface);
      continue;
    }
    const deletes = isBindingsChanged ? (opts.current.locations.get(port.interface) ?? []).map((loc) => buildDelete(opts.dialect, port.interface, loc)) : [];
    const sets = isBindingsChanged ? desired.map((b) => buildSetBinding(opts.dialect, port.interface, b, group)) : [];
    const commands = [...deletes, ...sets, ...(isDescriptionChanged ? [`set interfaces ${physical} description ${description}`] : [])];
    commands.forEach(assertSafeCommand);
    changes.push({
      interface: port.interface,
      current,
      desired,
      commands,
      ...(isDescriptionChanged ? { description: { current: currentDescription, desired: description } } : {}),
    });
  }
  return { dialect: opts.dialect, changes, unchanged, skipped };
}
