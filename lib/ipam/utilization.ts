// A prefix's addresses split three ways for the utilization picture: in use, reserved (held for an
// owner before anything uses it) and free. Pure: the counts come from IPAM's one prefix query, so
// the bars, their labels and the prefixes table show the same numbers.

export interface PrefixCounts {
  id: number;
  prefix: string;
  /** Not released (reserved included). */
  used: number;
  reserved: number;
  /** Assignable addresses. */
  size: number;
}

export interface UtilizationBar {
  id: number;
  prefix: string;
  inUse: number;
  reserved: number;
  free: number;
  size: number;
  /** Shares of the prefix in percent (bars of a /16 and a /29 side by side compare as shares). */
  inUsePct: number;
  reservedPct: number;
  freePct: number;
  /** In words: `12 used (3 reserved) of 254`. */
  label: string;
  /** The prefixes table's own form, which the bar's axis label repeats: `12/254`. */
  countText: string;
}

/** A prefix holding more rows than it has assignable hosts (network/broadcast rows, say) shows as full, never negative. */
export function computeUtilizationBar(p: PrefixCounts): UtilizationBar {
  const reserved = Math.max(0, Math.min(p.reserved, p.used));
  const inUse = Math.max(0, p.used - reserved);
  const free = Math.max(0, p.size - p.used);
  const scale = Math.max(p.size, p.used) || 1;
  const pct = (n: number) => (100 * n) / scale;
  return {
    id: p.id,
    prefix: p.prefix,
    inUse,
    reserved,
    free,
    size: p.size,
    inUsePct: pct(inUse),
    reservedPct: pct(reserved),
    freePct: pct(free),
    label: `${p.used} used${reserved > 0 ? ` (${reserved} reserved)` : ""} of ${p.size}`,
    countText: `${p.used}/${p.size}`,
  };
}

export const computeUtilizationBars = (prefixes: readonly PrefixCounts[]): UtilizationBar[] => prefixes.map(computeUtilizationBar);

/** The address list's rule for "reserved" (planned, owner named): the query counts the same rows. */
export const isReservedAddress = (a: { status: string; ownerTeam: string | null }) => a.status === "planned" && !!a.ownerTeam;
