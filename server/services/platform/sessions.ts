import { createHash } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { consoleSessions, type ConsoleSession } from "@/drizzle/schema";
import { applyMfaPolicy, type MfaPolicy } from "@/lib/auth/mfa";
import { extractRoles, decodeJwtClaims, type GroupPaths, type Role } from "@/lib/auth/roles";
import { findRecheckState } from "@/lib/auth/session-policy";
import { OidcError, refreshTokens, type OidcClientConfig } from "@/server/connectors/oidc/client";
import { seal, unseal } from "@/server/crypto/secret-box";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "./audit";

// Server-side console sessions. The cookie names a row by a random id; the row holds the roles in
// force, and is what signing out and the IdP re-check end.

/** The row key: a database dump does not give anyone a session id to put in a cookie. */
export function hashSessionId(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

export interface NewConsoleSession {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  provider: string;
  roles: Role[];
  secondFactor: string | null;
  notice: string | null;
  refreshToken?: string;
}

export async function createConsoleSession(db: DbOrTx, secretsKey: Buffer, input: NewConsoleSession): Promise<void> {
  await db.insert(consoleSessions).values({
    id: hashSessionId(input.sessionId),
    userId: input.userId,
    email: input.email,
    name: input.name,
    provider: input.provider,
    roles: input.roles,
    secondFactor: input.secondFactor,
    notice: input.notice,
    refreshTokenSealed: input.refreshToken ? seal(input.refreshToken, secretsKey) : null,
    // Millisecond times from here, not now()'s microseconds: the re-check claim compares checked_at
    // with the value a request read into a JS Date.
    checkedAt: new Date(),
  });
}

/** The session a cookie names, when it exists and has not been revoked. */
export async function getActiveConsoleSession(db: DbOrTx, sessionId: string): Promise<ConsoleSession | undefined> {
  const [row] = await db
    .select()
    .from(consoleSessions)
    .where(and(eq(consoleSessions.id, hashSessionId(sessionId)), isNull(consoleSessions.revokedAt)));
  return row;
}

export interface ConsoleSessionSummary {
  id: string;
  email: string;
  provider: string;
  roles: string[];
  createdAt: Date;
  checkedAt: Date;
}

/** Who is signed in now (sessions not revoked, newest first): the admin's view before revoking one. */
export async function listActiveConsoleSessions(db: DbOrTx, limit = 200): Promise<ConsoleSessionSummary[]> {
  return db
    .select({
      id: consoleSessions.id,
      email: consoleSessions.email,
      provider: consoleSessions.provider,
      roles: consoleSessions.roles,
      createdAt: consoleSessions.createdAt,
      checkedAt: consoleSessions.checkedAt,
    })
    .from(consoleSessions)
    .where(isNull(consoleSessions.revokedAt))
    .orderBy(desc(consoleSessions.createdAt))
    .limit(limit);
}

/** Ends a session for every copy of its cookie; audited. `rowId` is the stored (hashed) id. */
export async function revokeConsoleSession(db: DbOrTx, actor: Actor, rowId: string, reason: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(consoleSessions)
      .set({ revokedAt: sql`now()`, revokedReason: reason })
      .where(and(eq(consoleSessions.id, rowId), isNull(consoleSessions.revokedAt)))
      .returning({ email: consoleSessions.email, provider: consoleSessions.provider });
    if (!row) return false;
    await writeAudit(tx, actor, { action: "auth.session_revoked", entityType: "session", entityId: row.email, after: { reason, provider: row.provider } });
    return true;
  });
}

export interface RecheckDeps {
  secretsKey: Buffer;
  /** Unset when OIDC is not configured: OIDC sessions then cannot be re-checked and end at the grace. */
  oidc?: OidcClientConfig;
  groupPaths: GroupPaths;
  mfaPolicy: MfaPolicy;
}

/**
 * The session as it stands after asking the IdP again when its last check is over 5 minutes old:
 * new roles from the refreshed tokens (with the sign-in's second-factor evidence), or ended when the
 * IdP refuses the refresh token. Only one request claims a re-check; the network call happens with
 * no transaction open. An unreachable IdP leaves the roles as they were for the grace period.
 */
export async function recheckConsoleSession(db: Db, deps: RecheckDeps, session: ConsoleSession, now = new Date()): Promise<ConsoleSession | null> {
  if (session.provider !== "oidc") return session;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const state = findRecheckState(Math.floor(session.checkedAt.getTime() / 1000), nowSeconds);
  if (state === "fresh") return session;
  const isClaimed = await claimRecheck(db, session, now);
  if (!isClaimed) {
    // Another request is re-checking, or just did: go on with what the row says now.
    const [row] = await db
      .select()
      .from(consoleSessions)
      .where(and(eq(consoleSessions.id, session.id), isNull(consoleSessions.revokedAt)));
    if (!row) return null;
    return findRecheckState(Math.floor(row.checkedAt.getTime() / 1000), nowSeconds) === "expired" ? null : row;
  }

  const refreshToken = session.refreshTokenSealed ? unseal(session.refreshTokenSealed, deps.secretsKey) : undefined;
  if (!refreshToken || !deps.oidc) {
    await revokeConsoleSession(db, { id: "system:idp-recheck" }, session.id, "the IdP cannot be asked again (no refresh token)");
    return null;
  }
  try {
    const tokens = await refreshTokens(deps.oidc, refreshToken);
    const granted = extractRoles(deps.groupPaths, decodeJwtClaims(tokens.id_token), decodeJwtClaims(tokens.access_token));
    const { roles, notice } = applyMfaPolicy(granted, session.secondFactor, deps.mfaPolicy);
    return await recordRecheck(db, deps.secretsKey, session, { roles, notice: notice ?? null, refreshToken: tokens.refresh_token ?? refreshToken, now });
  } catch (err) {
    if (err instanceof OidcError && err.kind === "refused") {
      await revokeConsoleSession(db, { id: "system:idp-recheck" }, session.id, `the IdP refused the session: ${err.message}`);
      return null;
    }
    await db.update(consoleSessions).set({ checkClaimedUntil: null }).where(eq(consoleSessions.id, session.id));
    return state === "expired" ? null : session;
  }
}

/** Claims the re-check of the session as this request read it (same checked_at): one request per due check. */
async function claimRecheck(db: Db, session: ConsoleSession, now: Date): Promise<boolean> {
  const until = new Date(now.getTime() + 30_000);
  const claimed = await db
    .update(consoleSessions)
    .set({ checkClaimedUntil: until })
    .where(
      and(
        eq(consoleSessions.id, session.id),
        eq(consoleSessions.checkedAt, session.checkedAt),
        isNull(consoleSessions.revokedAt),
        or(isNull(consoleSessions.checkClaimedUntil), lt(consoleSessions.checkClaimedUntil, now)),
      ),
    )
    .returning({ id: consoleSessions.id });
  return claimed.length === 1;
}

async function recordRecheck(
  db: Db,
  secretsKey: Buffer,
  session: ConsoleSession,
  change: { roles: Role[]; notice: string | null; refreshToken: string; now: Date },
): Promise<ConsoleSession | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(consoleSessions)
      .set({
        roles: change.roles,
        notice: change.notice,
        refreshTokenSealed: seal(change.refreshToken, secretsKey),
        checkedAt: change.now,
        checkClaimedUntil: null,
      })
      .where(and(eq(consoleSessions.id, session.id), isNull(consoleSessions.revokedAt)))
      .returning();
    if (!row) return null;
    const before = [...session.roles].sort().join(",");
    if (before !== [...change.roles].sort().join(",")) {
      await writeAudit(
        tx,
        { id: "system:idp-recheck" },
        {
          action: "auth.roles_changed",
          entityType: "session",
          entityId: session.email,
          before: { roles: session.roles },
          after: { roles: change.roles },
        },
      );
    }
    return row;
  });
}

export interface SignInOverview {
  /** The bootstrap admin: a password account meant for when the IdP is down, not for daily work. */
  breakGlass: { email: string; isEnabled: boolean; lastSignInAt: Date | null };
  isOidcConfigured: boolean;
  isAdminMfaRequired: boolean;
  activeSessions: number;
}

/** What the dashboard says about how people get in. */
export async function getSignInOverview(
  db: DbOrTx,
  config: { adminEmail: string; isBreakGlassEnabled: boolean; isOidcConfigured: boolean; isAdminMfaRequired: boolean },
): Promise<SignInOverview> {
  const [last] = await db
    .select({ at: consoleSessions.createdAt })
    .from(consoleSessions)
    .where(eq(consoleSessions.provider, "credentials"))
    .orderBy(desc(consoleSessions.createdAt))
    .limit(1);
  const [active] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(consoleSessions)
    .where(and(isNull(consoleSessions.revokedAt), sql`${consoleSessions.createdAt} > now() - interval '12 hours'`));
  return {
    breakGlass: { email: config.adminEmail, isEnabled: config.isBreakGlassEnabled, lastSignInAt: last?.at ?? null },
    isOidcConfigured: config.isOidcConfigured,
    isAdminMfaRequired: config.isOidcConfigured && config.isAdminMfaRequired,
    activeSessions: active?.n ?? 0,
  };
}
