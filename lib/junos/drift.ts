import { bindingKey, type Binding } from "./bindings";

export interface PortDrift {
  interface: string;
  /** Desired but not on the switch. */
  missing: Binding[];
  /** On the switch but not desired (on a port we manage, or a port we do not manage at all). */
  extra: Binding[];
  isManaged: boolean;
  /** Who decides a managed port's bindings. */
  source?: "manual" | "panel";
  /** A managed port whose desired state cannot be read now (the panel unreachable or not configured): not drift, not repairable. */
  unknownReason?: string;
}

/** Switch bindings against desired ones, port by port; an empty result means in sync. */
export function findBindingDrift(desired: ReadonlyMap<string, Binding[]>, actual: ReadonlyMap<string, Binding[]>): PortDrift[] {
  const ports = [...new Set([...desired.keys(), ...actual.keys()])].sort();
  const out: PortDrift[] = [];
  for (const iface of ports) {
    const want = desired.get(iface) ?? [];
    const have = actual.get(iface) ?? [];
    const haveKeys = new Set(have.map(bindingKey));
    const wantKeys = new Set(want.map(bindingKey));
    const missing = want.filter((b) => !haveKeys.has(bindingKey(b)));
    const extra = have.filter((b) => !wantKeys.has(bindingKey(b)));
    if (missing.length || extra.length) out.push({ interface: iface, missing, extra, isManaged: desired.has(iface) });
  }
  return out;
}

/**
 * The ports a repair would push: managed, with a known desired state, and differing. Drift on ports
 * we do not manage is informational: pushing them would wipe what someone else put there.
 */
export function findRepairablePorts(ports: readonly PortDrift[]): string[] {
  return ports.filter((p) => p.isManaged && !p.unknownReason && (p.missing.length > 0 || p.extra.length > 0)).map((p) => p.interface);
}
