import { bindingKey, normalizeBindings, type Binding } from "../junos/bindings";

/**
 * What an approval stores: only the change asked for, never the whole form it came from. At
 * decision time the change is applied to the state as it is THEN, so a later unrelated edit (a
 * binding added, another setting saved) is never reverted by approving an older request.
 */
export interface BindingChange {
  add: Binding[];
  remove: Binding[];
}

/** The change that turns `held` into `wanted`. */
export function findBindingChange(held: readonly Binding[], wanted: readonly Binding[]): BindingChange {
  const heldKeys = new Set(held.map(bindingKey));
  const wantedKeys = new Set(wanted.map(bindingKey));
  return {
    add: normalizeBindings(wanted.filter((b) => !heldKeys.has(bindingKey(b)))),
    remove: normalizeBindings(held.filter((b) => !wantedKeys.has(bindingKey(b)))),
  };
}

/** The port after the change, applied to what it holds now: bindings added since are kept. */
export function applyBindingChange(held: readonly Binding[], change: BindingChange): Binding[] {
  const removed = new Set(change.remove.map(bindingKey));
  return normalizeBindings([...held.filter((b) => !removed.has(bindingKey(b))), ...change.add]);
}

export const showBinding = (b: Binding): string => `${b.ip} ${b.mac} ${b.vlan}`;

/**
 * Every binding that will change on the port, as it will change: what is removed (only what the
 * port holds now), what is added, what stays.
 */
export function describeBindingChange(where: string, held: readonly Binding[], after: readonly Binding[]): string[] {
  const c = findBindingChange(held, after);
  const afterKeys = new Set(after.map(bindingKey));
  const kept = normalizeBindings(held.filter((b) => afterKeys.has(bindingKey(b))));
  const lines = [...c.remove.map((b) => `${where}: remove ${showBinding(b)}`), ...c.add.map((b) => `${where}: add ${showBinding(b)}`)];
  if (lines.length === 0) return [`${where}: nothing changes any more (the port already holds what was asked)`];
  if (kept.length) lines.push(`${where}: keeps ${kept.map(showBinding).join(", ")}`);
  return lines;
}

/** The keys of `patch` whose value differs from `current`: the only ones a request stores. */
export function findChangedKeys<T extends Record<string, unknown>>(current: T, patch: Partial<T>): Array<keyof T & string> {
  return (Object.keys(patch) as Array<keyof T & string>).filter((k) => patch[k] !== undefined && stableJson(patch[k]) !== stableJson(current[k]));
}

/** One line per setting that will change, from its value NOW to the asked value. */
export function describeSettingsChange<T extends Record<string, unknown>>(current: T, patch: Partial<T>): string[] {
  const keys = findChangedKeys(current, patch);
  if (keys.length === 0) return ["settings: nothing changes any more (every asked value is already set)"];
  const show = (k: string, v: unknown) => (Array.isArray(v) && v.length === 0 && EMPTY_MEANS[k]) || showValue(v);
  return keys.map((k) => `settings: ${k} from ${show(k, current[k])} to ${show(k, patch[k])}`);
}

// An empty list means "no limit" for these, and "nothing" (shown as "(empty)") for the provisioning allowlists.
const EMPTY_MEANS: Record<string, string> = { vlanAllowlist: "every VLAN" };

function showValue(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? "(empty)" : v.map((x) => (typeof x === "object" ? stableJson(x) : String(x))).join(", ");
  if (typeof v === "boolean") return v ? "on" : "off";
  return typeof v === "object" && v !== null ? stableJson(v) : String(v);
}

/**
 * JSON with object keys sorted, so the same state always gives the same text (the digest of the
 * state a request was made against is a hash of it).
 */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

/** A pending request older than the setting's days is no longer decided: it is expired and must be asked again. */
export function isApprovalExpired(requestedAt: Date, now: Date, expiryDays: number): boolean {
  return now.getTime() - requestedAt.getTime() >= expiryDays * 86_400_000;
}

export function findExpiresAt(requestedAt: Date, expiryDays: number): Date {
  return new Date(requestedAt.getTime() + expiryDays * 86_400_000);
}
