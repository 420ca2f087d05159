import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { decodeJwtClaims, extractRoles, parseGroupPaths, ROLES, type Role } from "@/lib/auth/roles";
import { SESSION_IDLE_SECONDS } from "@/lib/auth/session-policy";
import { getDatabase } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { getLogger } from "@/server/logger";
import { recordAuthEvent } from "@/server/services/platform/auth-events";
import { clientOf, describeAttemptedAccount, noteSignInFailure } from "./sign-in-guard";
import { createBootstrapAdmin } from "./bootstrap-admin";

interface OidcProfile extends Record<string, unknown> {
  sub: string;
  email?: string;
  name?: string;
  preferred_username?: string;
}

export const OIDC_PROVIDER_ID = "oidc";

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
    profile(profile, tokens) {
      return {
        id: profile.sub,
        email: profile.email ?? "",
        name: profile.name ?? profile.preferred_username ?? profile.sub,
        roles: extractRoles(parseGroupPaths(getEnv().OIDC_GROUP_PATHS), profile, decodeJwtClaims(tokens.access_token)),
      };
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
      if (await admin.verify(email, String(credentials?.password ?? ""))) {
        return { id: admin.email, email: admin.email, name: "Bootstrap admin", roles: [ROLES.admin] };
      }
      const client = clientOf({ get: (name) => (req?.headers?.[name] as string | undefined) ?? null });
      const count = noteSignInFailure(email, client);
      // One audit row per burst (its first failure, then the one that reaches the limit, with a count).
      if (count > 0) {
        await recordAuthEvent(getDatabase().db, describeAttemptedAccount(email, admin.isAccount(email)) || "anonymous", "auth.sign_in_failed", {
          provider: "credentials",
          failures: count,
          client,
        });
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
      jwt({ token, user, account }) {
        if (account && user) {
          const roles = (user as { roles?: Role[] }).roles ?? [];
          return { ...token, sub: user.id, roles, authTime: Math.floor(Date.now() / 1000), provider: account.provider };
        }
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          user: {
            id: String(token.sub ?? ""),
            email: String(token.email ?? ""),
            name: String(token.name ?? token.email ?? ""),
            roles: (token.roles as Role[] | undefined) ?? [],
            authTime: Number(token.authTime ?? 0),
          },
        };
      },
    },
    events: {
      async signIn({ user, account }) {
        const roles = (user as { roles?: Role[] }).roles ?? [];
        await recordAuthEvent(getDatabase().db, user.email || user.id, "auth.sign_in", { provider: account?.provider, roles });
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
