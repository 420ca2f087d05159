import { describe, expect, it } from "vitest";
import { DEFAULT_GROUP_PATHS, decodeJwtClaims, extractRoles as extractWith, hasAccess, hasAnyItRole, parseGroupPaths } from "./roles";

const extractRoles = (...claims: Array<Record<string, unknown> | undefined>) => extractWith(DEFAULT_GROUP_PATHS, ...claims);

const jwt = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("extractRoles", () => {
  it("reads realm_access.roles and the exact configured Keycloak group paths, keeping only our roles", () => {
    expect(extractRoles({ realm_access: { roles: ["offline_access", "sankofa-it-viewer"] }, groups: ["/sankofa-finance", "/clients/acme"] })).toEqual([
      "sankofa-finance",
      "sankofa-it-viewer",
    ]);
  });

  it("never grants a role for a group path that merely ends in its name (a customer's group)", () => {
    expect(extractRoles({ groups: ["/clients/acme/sankofa-it-admin", "/x/sankofa-finance", "sankofa-it-admin"] })).toEqual([]);
    // Configured paths replace the defaults.
    const paths = parseGroupPaths("admin=/it/admins");
    expect(extractWith(paths, { groups: ["/it/admins", "/sankofa-it-admin"] })).toEqual(["sankofa-it-admin"]);
    expect(() => parseGroupPaths("root=/x")).toThrow(/OIDC_GROUP_PATHS: "root=\/x"/);
  });

  it("merges ID token and access token claims", () => {
    const access = decodeJwtClaims(jwt({ realm_access: { roles: ["sankofa-it-admin"] } }));
    expect(extractRoles({ groups: [] }, access)).toEqual(["sankofa-it-admin"]);
  });

  it("gives a client admin no role", () => {
    expect(extractRoles({ realm_access: { roles: ["client-admin"] }, groups: ["/clients/acme"] })).toEqual([]);
  });

  it("ignores malformed claims", () => {
    expect(extractRoles({ realm_access: "sankofa-it-admin", groups: [1, null] })).toEqual([]);
    expect(decodeJwtClaims("opaque-token")).toBeUndefined();
    expect(decodeJwtClaims("a.!!!.c")).toBeUndefined();
  });
});

describe("hasAccess", () => {
  it("lets admins through every door", () => {
    for (const door of ["viewer", "admin", "finance"] as const) expect(hasAccess(["sankofa-it-admin"], door)).toBe(true);
  });
  it("keeps viewers read-only and out of billing", () => {
    expect(hasAccess(["sankofa-it-viewer"], "viewer")).toBe(true);
    expect(hasAccess(["sankofa-it-viewer"], "admin")).toBe(false);
    expect(hasAccess(["sankofa-it-viewer"], "finance")).toBe(false);
  });
  it("keeps finance to billing", () => {
    expect(hasAccess(["sankofa-finance"], "finance")).toBe(true);
    expect(hasAccess(["sankofa-finance"], "viewer")).toBe(false);
  });
  it("refuses users with none of our roles", () => {
    expect(hasAnyItRole(["client-admin"])).toBe(false);
    expect(hasAccess([], "viewer")).toBe(false);
  });
});
