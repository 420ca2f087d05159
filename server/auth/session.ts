import "server-only";
import { getServerSession } from "next-auth";
import { BREAK_GLASS_ISSUER } from "@/lib/approvals/duties";
import { parseGroupPaths } from "@/lib/auth/roles";
import { isPastAbsoluteLimit, type SessionUser } from "@/lib/auth/session-policy";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getDatabase } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { getActiveConsoleSession, recheckConsoleSession } from "@/server/services/platform/sessions";
import { getAuthOptions, getMfaPolicy } from "./options";

/**
 * The signed-in user, or null when signed out, past the 12-hour absolute limit, or when the
 * server-side session the cookie names was revoked (signed out, IdP refused the re-check). Roles come
 * from that session, re-checked with the IdP at most every 5 minutes.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = (await getServerSession(getAuthOptions())) as { sid?: string } | null;
  if (!session?.sid) return null;
  const db = getDatabase().db;
  const stored = await getActiveConsoleSession(db, session.sid);
  if (!stored) return null;
  const authTime = Math.floor(stored.createdAt.getTime() / 1000);
  if (isPastAbsoluteLimit(authTime, Math.floor(Date.now() / 1000))) return null;
  const env = getEnv();
  const current = await recheckConsoleSession(
    db,
    {
      secretsKey: getSecretsKey(),
      oidc:
        env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
          ? { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET }
          : undefined,
      groupPaths: parseGroupPaths(env.OIDC_GROUP_PATHS),
      mfaPolicy: getMfaPolicy(),
    },
    stored,
  );
  if (!current) return null;
  return {
    id: current.userId,
    email: current.email,
    name: current.name,
    roles: current.roles as SessionUser["roles"],
    authTime,
    notice: current.notice ?? undefined,
    isBreakGlass: current.provider === "credentials",
    issuer: current.provider === "credentials" ? BREAK_GLASS_ISSUER : (env.OIDC_ISSUER ?? current.provider),
  };
}
