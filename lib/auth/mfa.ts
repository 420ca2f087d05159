import { ROLES, type Role } from "./roles";

// "MFA required for IT group": admin access through OIDC needs the IdP's evidence of a second factor.
// Evidence is what the ID token says about the login: `amr` (RFC 8176 method references; Keycloak's
// AMR mapper writes "pwd", "otp", …) or `acr` (the assurance level; Keycloak writes its level of
// authentication, "1", "2", … or the names of the realm's acr-loa-map).

export interface MfaPolicy {
  /** When false, OIDC roles are taken as the IdP gives them (a realm that enforces MFA itself). */
  isRequiredForAdmin: boolean;
  /** Any of these in `amr` counts as a second factor. */
  amrValues: readonly string[];
  /** Any of these as `acr` counts as a second factor. */
  acrValues: readonly string[];
}

/** RFC 8176 values that name a factor beyond a password (`pwd`, `kba` and `pin` do not). */
export const DEFAULT_MFA_AMR_VALUES = ["mfa", "otp", "hwk", "swk", "sms", "tel", "fpt", "face", "iris", "retina", "vbm", "sc"] as const;

export function parseValueList(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The claim that proves a second factor (`amr=otp`, `acr=2`), or null when the login shows none. */
export function findSecondFactor(claims: { acr?: unknown; amr?: unknown }, policy: MfaPolicy): string | null {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [];
  const byAmr = amr.find((v) => policy.amrValues.includes(v));
  if (byAmr) return `amr=${byAmr}`;
  if (typeof claims.acr === "string" && policy.acrValues.includes(claims.acr)) return `acr=${claims.acr}`;
  return null;
}

export interface MfaOutcome {
  roles: Role[];
  /** Said to the user when their roles were cut for want of a second factor. */
  notice?: string;
}

/**
 * Admin without a second factor gets viewer access at most (finance is not an IT role and is kept);
 * everyone else keeps their roles.
 */
export function applyMfaPolicy(roles: readonly Role[], evidence: string | null, policy: MfaPolicy): MfaOutcome {
  if (!policy.isRequiredForAdmin || evidence || !roles.includes(ROLES.admin)) return { roles: [...roles] };
  const kept = new Set<Role>(roles.filter((r) => r !== ROLES.admin));
  kept.add(ROLES.viewer);
  return {
    roles: [...kept].sort(),
    notice:
      "Admin access needs a second factor at sign-in, and this sign-in showed none: you have viewer access. Set up OTP or a security key in Keycloak and sign in again.",
  };
}
