import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { hasAccess, hasAnyItRole, type Access } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session-policy";
import { getDatabase } from "@/server/db/client";
import { recordAuthEvent } from "@/server/services/platform/auth-events";
import { getSessionUser } from "./session";

async function requestedPath(): Promise<string> {
  return (await headers()).get("x-pathname") ?? "/it";
}

/**
 * Server-side gate for a console page: signed out → sign-in page, signed in without the role
 * (a client admin, say) → 403 page, and the refusal is audited.
 */
export async function requirePageAccess(access: Access | "any"): Promise<SessionUser> {
  const path = await requestedPath();
  const user = await getSessionUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  const allowed = access === "any" ? hasAnyItRole(user.roles) : hasAccess(user.roles, access);
  if (!allowed) {
    await recordAuthEvent(getDatabase().db, user.email || user.id, "auth.access_denied", { path, needs: access, roles: user.roles });
    forbidden();
  }
  return user;
}
