import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, consoleSessions } from "@/drizzle/schema";
import { startOidcLab, type OidcLab } from "@/lab/oidc";
import { runCodeFlow } from "@/lab/oidc-code-flow";
import { applyMfaPolicy, DEFAULT_MFA_AMR_VALUES, findSecondFactor, type MfaPolicy } from "@/lib/auth/mfa";
import { DEFAULT_GROUP_PATHS, extractRoles, ROLES } from "@/lib/auth/roles";
import { SESSION_IDP_GRACE_SECONDS, SESSION_RECHECK_SECONDS } from "@/lib/auth/session-policy";
import { createTestDatabase } from "@/server/testing/database";
import { createConsoleSession, getActiveConsoleSession, hashSessionId, recheckConsoleSession, revokeConsoleSession, type RecheckDeps } from "./sessions";

const { db } = await createTestDatabase();
const REDIRECT = "http://127.0.0.1:39998/api/auth/callback/oidc";
const secretsKey = Buffer.alloc(32, 7);
const mfaPolicy: MfaPolicy = { isRequiredForAdmin: true, amrValues: DEFAULT_MFA_AMR_VALUES, acrValues: [] };

let lab: OidcLab;
let deps: RecheckDeps;
beforeAll(async () => {
  lab = await startOidcLab({ port: 0, redirectUris: [REDIRECT] });
  deps = { secretsKey, oidc: { issuer: lab.issuer, clientId: "sankofa-it", clientSecret: "lab-secret" }, groupPaths: DEFAULT_GROUP_PATHS, mfaPolicy };
});
afterAll(() => lab.close());

const minutesAfter = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

/** Signs `login` in at the lab IdP and opens a console session the way the sign-in callback does. */
async function signIn(login: string) {
  const tokens = await runCodeFlow(lab.issuer, REDIRECT, login);
  const secondFactor = findSecondFactor(tokens.claims, mfaPolicy);
  const { roles, notice } = applyMfaPolicy(extractRoles(DEFAULT_GROUP_PATHS, tokens.claims), secondFactor, mfaPolicy);
  const sessionId = `session-of-${login}`;
  await createConsoleSession(db, secretsKey, {
    sessionId,
    userId: login,
    email: `${login}@lab.sankofa.test`,
    name: login,
    provider: "oidc",
    roles,
    secondFactor,
    notice: notice ?? null,
    refreshToken: tokens.refresh_token,
  });
  const session = (await getActiveConsoleSession(db, sessionId))!;
  return { sessionId, session };
}

const auditRows = (action: string, email: string) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, email)));

describe("console sessions and the IdP re-check", () => {
  it("stores the refresh token sealed and the session id only as a hash", async () => {
    const { sessionId, session } = await signIn("sess-sealed");
    expect(session.id).toBe(hashSessionId(sessionId));
    expect(session.id).not.toContain(sessionId);
    expect(session.refreshTokenSealed).toBeInstanceOf(Buffer);
    const [raw] = await db.select({ sealed: consoleSessions.refreshTokenSealed }).from(consoleSessions).where(eq(consoleSessions.id, session.id));
    expect(raw!.sealed!.toString("latin1")).not.toMatch(/^[\w-]{20,}$/);
  });

  it("gives an admin who signed in without a second factor viewer access, and one with OTP admin", async () => {
    const noOtp = await signIn("it-admin-no-otp");
    expect(noOtp.session.roles).toEqual([ROLES.viewer]);
    expect(noOtp.session.notice).toMatch(/second factor/);
    const withOtp = await signIn("it-admin");
    expect(withOtp.session.roles).toEqual([ROLES.admin]);
    expect(withOtp.session.secondFactor).toBe("amr=otp");
  });

  it("does not ask the IdP within 5 minutes, and picks up a role change after", async () => {
    const login = "sess-role-change";
    lab.updateAccount(login, { roles: [ROLES.viewer] });
    const { session } = await signIn(login);
    lab.updateAccount(login, { roles: [ROLES.finance] });

    const early = await recheckConsoleSession(db, deps, session, minutesAfter(session.checkedAt, SESSION_RECHECK_SECONDS - 5));
    expect(early?.roles).toEqual([ROLES.viewer]);

    const later = await recheckConsoleSession(db, deps, session, minutesAfter(session.checkedAt, SESSION_RECHECK_SECONDS + 5));
    expect(later?.roles).toEqual([ROLES.finance]);
    expect(await auditRows("auth.roles_changed", session.email)).toHaveLength(1);
  });

  it("keeps the second-factor rule on a re-check: a role granted later is cut the same way", async () => {
    const login = "sess-promoted";
    lab.updateAccount(login, { roles: [ROLES.viewer] });
    const { session } = await signIn(login);
    lab.updateAccount(login, { roles: [ROLES.admin] });
    const later = await recheckConsoleSession(db, deps, session, minutesAfter(session.checkedAt, SESSION_RECHECK_SECONDS + 1));
    expect(later?.roles).toEqual([ROLES.viewer]);
    expect(later?.notice).toMatch(/second factor/);
  });

  it("ends the session when the IdP refuses the refresh token (user disabled)", async () => {
    const login = "sess-disabled";
    lab.updateAccount(login, { roles: [ROLES.viewer] });
    const { sessionId, session } = await signIn(login);
    lab.updateAccount(login, { isEnabled: false });
    const after = await recheckConsoleSession(db, deps, session, minutesAfter(session.checkedAt, SESSION_RECHECK_SECONDS + 1));
    expect(after).toBeNull();
    expect(await getActiveConsoleSession(db, sessionId)).toBeUndefined();
    const [row] = await auditRows("auth.session_revoked", session.email);
    expect(row?.after).toMatchObject({ reason: expect.stringMatching(/IdP refused the session: invalid_grant/) });
  });

  it("re-checks once when many requests arrive together", async () => {
    const login = "sess-burst";
    lab.updateAccount(login, { roles: [ROLES.viewer] });
    const { session } = await signIn(login);
    lab.updateAccount(login, { roles: [ROLES.finance] });
    const at = minutesAfter(session.checkedAt, SESSION_RECHECK_SECONDS + 1);
    const results = await Promise.all(Array.from({ length: 6 }, () => recheckConsoleSession(db, deps, session, at)));
    expect(results.every((r) => r !== null)).toBe(true);
    expect(await auditRows("auth.roles_changed", session.email)).toHaveLength(1);
  });

  it("keeps the known roles while the IdP is unreachable, and ends the session past the grace", async () => {
    const down = http.createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
    const downDeps = { ...deps, oidc: { ...deps.oidc!, issuer: `http://127.0.0.1:${(down.address() as AddressInfo).port}/realms/x` } };
    try {
      const { sessionId, session } = await signIn("sess-idp-down");
      const within = await recheckConsoleSession(db, downDeps, session, minutesAfter(session.checkedAt, SESSION_RECHECK_SECONDS + 1));
      expect(within?.roles).toEqual(session.roles);
      const past = await recheckConsoleSession(db, downDeps, session, minutesAfter(session.checkedAt, SESSION_IDP_GRACE_SECONDS + 1));
      expect(past).toBeNull();
      // Not revoked: once the IdP answers again, the next re-check can restore it.
      expect(await getActiveConsoleSession(db, sessionId)).toBeDefined();
    } finally {
      down.close();
    }
  });

  it("a revoked session is gone for every copy of its cookie, and revoking is audited once", async () => {
    const { sessionId, session } = await signIn("sess-revoked");
    expect(await revokeConsoleSession(db, { id: "admin@x" }, session.id, "signed out")).toBe(true);
    expect(await revokeConsoleSession(db, { id: "admin@x" }, session.id, "signed out")).toBe(false);
    expect(await getActiveConsoleSession(db, sessionId)).toBeUndefined();
    expect(await auditRows("auth.session_revoked", session.email)).toHaveLength(1);
  });
});
