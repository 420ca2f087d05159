import { hasAccess, type Access } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session-policy";
import { getSessionUser } from "@/server/auth/session";
import { text } from "./respond";

/** A signed-in user with `access` for a route handler (downloads): 401 signed out, 403 without the role. */
export async function requireSessionAccess(access: Access): Promise<{ user: SessionUser } | { refusal: Response }> {
  const user = await getSessionUser();
  if (!user) return { refusal: text(401, "sign in first\n") };
  if (!hasAccess(user.roles, access)) return { refusal: text(403, "forbidden\n") };
  return { user };
}
