// What keeps a VLAN or a prefix from being deleted, said the way an admin acts on it: how many of
// each kind, and a few of them by name, so the refusal itself shows where to look.

export interface Holder {
  /** Singular and plural, e.g. ["prefix", "prefixes"]. */
  noun: readonly [string, string];
  count: number;
  /** A few of them by name (the caller fetches at most a handful). */
  examples: readonly string[];
}

export const HOLDER_EXAMPLES = 3;

/** "VLAN 110 is in use: 2 prefixes (10.110.0.0/24, 10.110.1.0/24), 1 planned move (loki → 10.110.0.5)". */
export function describeHolders(subject: string, holders: readonly Holder[]): string | null {
  const parts = holders
    .filter((h) => h.count > 0)
    .map((h) => {
      const shown = h.examples.slice(0, HOLDER_EXAMPLES);
      const more = h.count > shown.length ? `, and ${h.count - shown.length} more` : "";
      return `${h.count} ${h.count === 1 ? h.noun[0] : h.noun[1]}${shown.length ? ` (${shown.join(", ")}${more})` : ""}`;
    });
  return parts.length ? `${subject} is in use: ${parts.join("; ")}` : null;
}
