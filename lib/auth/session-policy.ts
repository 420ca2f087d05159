import type { Role } from "./roles";

// OWASP ASVS 7.3: an admin console ends idle sessions and caps their total length.
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
/** Role changes and disabled users at the IdP reach the console within this many seconds. */
export const SESSION_RECHECK_SECONDS = 5 * 60;
/**
 * While the IdP cannot be reached, a session keeps the roles it had for this long after its last
 * successful check, then ends (the bootstrap admin is the way in during a longer IdP outage).
 */
export const SESSION_IDP_GRACE_SECONDS = 15 * 60;

export interface SessionUser {
  /** Stable id: the OIDC subject, or the bootstrap admin's email. */
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** Seconds since the epoch when the user signed in. */
  authTime: number;
  /** Why the roles are less than the IdP granted (admin without a second factor). */
  notice?: string;
  /** Signed in with the bootstrap admin's password: a break-glass account, not an everyday one. */
  isBreakGlass?: boolean;
  /** Who vouches for `id`: the OIDC issuer, or BREAK_GLASS_ISSUER (lib/approvals/duties). */
  issuer?: string;
}

/** `fresh`: use the roles as known; `due`: ask the IdP again; `expired`: unchecked past the grace, treat as signed out. */
export type RecheckState = "fresh" | "due" | "expired";

export function findRecheckState(checkedAtSeconds: number, nowSeconds: number): RecheckState {
  const age = nowSeconds - checkedAtSeconds;
  if (age < SESSION_RECHECK_SECONDS) return "fresh";
  return age > SESSION_IDP_GRACE_SECONDS ? "expired" : "due";
}

export function isPastAbsoluteLimit(authTime: number, nowSeconds: number): boolean {
  return nowSeconds - authTime > SESSION_ABSOLUTE_SECONDS;
}
