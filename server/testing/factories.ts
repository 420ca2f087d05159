import { randomBytes } from "node:crypto";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session-policy";
import type { Db } from "@/server/db/client";
import { createContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";

/** A signed-in user with unique identity, as the session would hand it to the API. */
export function buildUser(roles: Role[] | string[], overrides: Partial<SessionUser> = {}): SessionUser {
  const id = randomBytes(4).toString("hex");
  return {
    id: `user-${id}`,
    email: `user-${id}@test.sankofa`,
    name: `Test user ${id}`,
    roles: roles as Role[],
    authTime: Math.floor(Date.now() / 1000),
    issuer: "https://idp.test.sankofa/realms/sankofa",
    ...overrides,
  };
}

export const buildAdmin = () => buildUser([ROLES.admin]);
export const buildViewer = () => buildUser([ROLES.viewer]);
export const buildFinance = () => buildUser([ROLES.finance]);
/** A portal client admin: signed in, none of our roles. */
export const buildClientAdmin = () => buildUser(["client-admin"]);

export function callerFor(db: Db, user: SessionUser | null, opts: { secretsKey?: Buffer } = {}) {
  return createCaller(createContext({ db, user, secretsKey: opts.secretsKey }));
}
