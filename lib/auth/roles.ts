export const ROLES = {
  admin: "sankofa-it-admin",
  viewer: "sankofa-it-viewer",
  finance: "sankofa-finance",
} as const;

export type Role = (typeof ROLES)[keyof typeof ROLES];
/** What a door asks for: `viewer` = read the IT console, `admin` = write, `finance` = billing. */
export type Access = keyof typeof ROLES;

const KNOWN = new Set<string>(Object.values(ROLES));

// Who passes which door. Admins pass every door; viewers read IT but not billing; finance sees billing only.
const GRANTS: Record<Access, readonly Role[]> = {
  viewer: [ROLES.admin, ROLES.viewer],
  admin: [ROLES.admin],
  finance: [ROLES.admin, ROLES.finance],
};

export function hasAccess(roles: readonly string[], access: Access): boolean {
  return GRANTS[access].some((r) => roles.includes(r));
}

/** True when the user holds any role of this console; client admins hold none. */
export function hasAnyItRole(roles: readonly string[]): boolean {
  return roles.some((r) => KNOWN.has(r));
}

function asStringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/**
 * Our roles from Keycloak-shaped claims: `realm_access.roles` and `groups` (Keycloak writes groups
 * as paths, "/sankofa-it-admin"). Only roles this console knows are kept.
 */
export function extractRoles(...claimSets: Array<Record<string, unknown> | undefined>): Role[] {
  const found = new Set<Role>();
  for (const claims of claimSets) {
    if (!claims) continue;
    const realm = claims.realm_access as { roles?: unknown } | undefined;
    const candidates = [...asStringArray(realm?.roles), ...asStringArray(claims.groups)];
    for (const c of candidates) {
      const name = c.split("/").filter(Boolean).pop() ?? "";
      if (KNOWN.has(name)) found.add(name as Role);
    }
  }
  return [...found].sort();
}

/**
 * Claims of a JWT access token, or undefined for an opaque one. Keycloak puts realm roles in the
 * access token by default (not the ID token); the token came straight from the token endpoint over
 * the back channel, so its payload is read without verifying the signature again.
 */
export function decodeJwtClaims(token: string | undefined): Record<string, unknown> | undefined {
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
