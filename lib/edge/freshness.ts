import type { EdgeSource } from "./data";

/** The edge collectors run every 15 minutes; two missed runs in a row and their data is no longer current. */
export const EDGE_STALE_AFTER_MS = 2 * 3600_000;

/**
 * Our switches' LLDP and LACP are read by the backup run, nightly by default (settings'
 * `backupSchedule`): one missed night is tolerated, two are not.
 */
export const JUNOS_LINKS_STALE_AFTER_MS = 49 * 3600_000;

/** Where a collected fact came from and how fresh it is: shown beside every hop of a path. */
export interface Freshness {
  source: EdgeSource | "inventory" | "ipam" | "port-map" | "junos-lldp";
  /** When the data was collected (or typed); null when there never was a good collection. */
  collectedAt: Date | null;
  /** True unless it is the newest attempt and recent: a failure after it, or its age, makes it stale. */
  isStale: boolean;
  /** The error of the last failed attempt after it, if any. */
  error: string | null;
}

export function computeFreshness(input: {
  source: Freshness["source"];
  collectedAt: Date | null;
  lastFailure: { at: Date; error: string | null } | null;
  now: Date;
  staleAfterMs?: number;
}): Freshness {
  const isFailedSince = Boolean(input.lastFailure && (!input.collectedAt || input.lastFailure.at > input.collectedAt));
  const isOld = !input.collectedAt || input.now.getTime() - input.collectedAt.getTime() > (input.staleAfterMs ?? EDGE_STALE_AFTER_MS);
  return {
    source: input.source,
    collectedAt: input.collectedAt,
    isStale: isFailedSince || isOld,
    error: isFailedSince ? (input.lastFailure!.error ?? "failed") : null,
  };
}
