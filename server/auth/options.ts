import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { randomBytes } from "node:crypto";
import { applyMfaPolicy, findSecondFactor, parseValueList, type MfaPolicy } from "@/lib/auth/mfa";
import { decodeJwtClaims, extractRoles, parseGroupPaths, ROLES, type Role } from "@/lib/auth/roles";
import { SESSION_IDLE_SECONDS } from "@/lib/auth/session-policy";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getDatabase } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { getLogger } from "@/server/logger";
import { recordAuthEvent } from "@/server/services/platform/auth-events";
import { createConsoleSession, getActiveConsoleSession, hashSessionId, revokeConsoleSession } from "@/server/services/platform/sessions";
import { clientOf, verifyBootstrapSignIn } from "./sign-in-guard";
import { createBootstrapAdmin } from "./bootstrap-admin";

interface OidcProfile extends Record<string, unknown> {
  sub: string;
  email?: string;
  name?: string;
  preferred_username?: string;
  acr?: unknown;
  amr?: unknown;
}

export const OIDC_PROVIDER_ID = "oidc";

/** What a signed-in user is given beyond next-auth's fields: roles after the MFA rule, and why they were cut. */
interface SignedInUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  secondFactor?: string | null;
  notice?: string;
}

export function getMfaPolicy(): MfaPolicy {
  const env = getEnv();
  return {
    isRequiredForAdmin: env.OIDC_ADMIN_MFA === "required",
    amrValues: parseValueList(env.OIDC_MFA_AMR_VALUES),
    acrValues: parseValueList(env.OIDC_MFA_ACR_VALUES),
  };
}

function oidcProvider(): OAuthConfig<OidcProfile> | undefined {
  const env = getEnv();
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return undefined;
  return {
    id: OIDC_PROVIDER_ID,
    name: env.OIDC_NAME,
    type: "oauth",
    wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    idToken: true,
    checks: ["pkce", "state"],
    authorization: { params: { scope: "openid email profile roles" } },
    // `profile` is the ID token's claims: roles from it and the access token, then the MFA rule on
    // this login's acr/amr.
    profile(profile, tokens): SignedInUser {
      const granted = extractRoles(parseGroupPaths(getEnv().OIDC_GROUP_PATHS), profile, decodeJwtClaims(tokens.access_token));
      const policy = getMfaPolicy();
      const secondFactor = findSecondFactor(profile, policy);
      const { roles, notice } = applyMfaPolicy(granted, secondFactor, policy);
      return { id: profile.sub, email: profile.email ?? "", name: profile.name ?? profile.preferred_username ?? profile.sub, roles, secondFactor, notice };
    },
  };
}

function credentialsProvider() {
  const env = getEnv();
  if (!env.ADMIN_PASSWORD) return undefined;
  const admin = createBootstrapAdmin(env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
  return CredentialsProvider({
    id: "credentials",
    name: "Bootstrap admin",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, req) {
      const email = String(credentials?.email ?? "");
      const client = clientOf({ get: (name) => (req?.headers?.[name] as string | undefined) ?? null });
      if (await verifyBootstrapSignIn(getDatabase().db, admin, { email, password: String(credentials?.password ?? ""), client })) {
        return { id: admin.email, email: admin.email, name: "Bootstrap admin", roles: [ROLES.admin] };
      }
      return null;
    },
  });
}

export function isOidcConfigured(): boolean {
  return Boolean(getEnv().OIDC_ISSUER);
}

export function isBootstrapAdminEnabled(): boolean {
  return Boolean(getEnv().ADMIN_PASSWORD);
}

let cached: AuthOptions | undefined;

export function getAuthOptions(): AuthOptions {
  cached ??= {
    secret: getEnv().NEXTAUTH_SECRET,
    providers: [oidcProvider(), credentialsProvider()].filter((p) => p !== undefined),
    // JWT sessions: the idle limit is the cookie's maxAge, renewed on activity; the absolute limit
    // is checked against authTime on every request (lib/auth/session-policy).
    session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS, updateAge: 0 },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      // Sign-in opens a server-side session; the cookie carries only its id (`sid`). Roles live in
      // the row, where the IdP re-check and sign-out change them for every copy of the cookie.
      async jwt({ token, user, account }) {
        if (account && user) {
          const signedIn = user as SignedInUser;
          const sessionId = randomBytes(32).toString("base64url");
          await createConsoleSession(getDatabase().db, getSecretsKey(), {
            sessionId,
            userId: signedIn.id,
            email: signedIn.email ?? "",
            name: signedIn.name ?? signedIn.email ?? signedIn.id,
            provider: account.provider,
            roles: signedIn.roles ?? [],
            secondFactor: signedIn.secondFactor ?? null,
            notice: signedIn.notice ?? null,
            refreshToken: account.refresh_token,
          });
          return { ...token, sub: user.id, sid: sessionId, authTime: Math.floor(Date.now() / 1000), provider: account.provider };
        }
        return token;
      },
      // The session id is useless without the sealed cookie around it, so the client may see it.
      session({ session, token }) {
        return { ...session, sid: typeof token.sid === "string" ? token.sid : undefined, authTime: Number(token.authTime ?? 0) };
      },
    },
    events: {
      async signIn({ user, account }) {
        const { roles, secondFactor, notice } = user as SignedInUser;
        await recordAuthEvent(getDatabase().db, user.email || user.id, "auth.sign_in", { provider: account?.provider, roles, secondFactor, notice });
      },
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        const db = getDatabase().db;
        const session = await getActiveConsoleSession(db, token.sid);
        if (session) await revokeConsoleSession(db, { id: session.email || session.userId }, hashSessionId(token.sid), "signed out");
      },
    },
    logger: {
      error: (code, metadata) => getLogger().error({ code, metadata }, "next-auth error"),
      warn: (code) => getLogger().warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
  return cached;
}
