import type { Role } from "./roles";

// OWASP ASVS 7.3: an admin console ends idle sessions and caps their total length.
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;

export interface SessionUser {
  /** Stable id: the OIDC subject, or the bootstrap admin's email. */
  id: string;
  email: string;
  name: string;
  roles: Role[];
  /** Seconds since the epoch when the user signed in. */
  authTime: number;
}

export function isPastAbsoluteLimit(authTime: number, nowSeconds: number): boolean {
  return nowSeconds - authTime > SESSION_ABSOLUTE_SECONDS;
}
