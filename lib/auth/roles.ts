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

/** Keycloak group paths that grant each role: exactly these, never a path that merely ends in a role's name. */
export type GroupPaths = Readonly<Record<Role, string>>;
export const DEFAULT_GROUP_PATHS: GroupPaths = { [ROLES.admin]: `/${ROLES.admin}`, [ROLES.viewer]: `/${ROLES.viewer}`, [ROLES.finance]: `/${ROLES.finance}` };

/**
 * `OIDC_GROUP_PATHS`: `admin=/it/admins,viewer=/it/viewers,finance=/billing` (any subset; the rest
 * keep their defaults). Throws naming the bad entry.
 */
export function parseGroupPaths(text: string | undefined): GroupPaths {
  const out: Record<Role, string> = { ...DEFAULT_GROUP_PATHS };
  for (const entry of (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [access, path] = entry.split("=").map((x) => x.trim());
    if (!access || !(access in ROLES) || !path?.startsWith("/"))
      throw new Error(`OIDC_GROUP_PATHS: "${entry}" is not access=/group/path (access: admin, viewer or finance)`);
    out[ROLES[access as Access]] = path;
  }
  return out;
}

/**
 * Our roles from Keycloak-shaped claims: `realm_access.roles` (role names, exact) and `groups`
 * (Keycloak writes group paths): a group grants a role only when its path is exactly the one
 * configured for it. `/clients/acme/sankofa-it-admin` is a customer's group, not ours.
 */
export function extractRoles(groupPaths: GroupPaths, ...claimSets: Array<Record<string, unknown> | undefined>): Role[] {
  const byPath = new Map(Object.entries(groupPaths).map(([role, path]) => [path, role as Role]));
  const found = new Set<Role>();
  for (const claims of claimSets) {
    if (!claims) continue;
    const realm = claims.realm_access as { roles?: unknown } | undefined;
    for (const r of asStringArray(realm?.roles)) if (KNOWN.has(r)) found.add(r as Role);
    for (const g of asStringArray(claims.groups)) {
      const role = byPath.get(g);
      if (role) found.add(role);
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
