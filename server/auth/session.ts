import "server-only";
import { getServerSession } from "next-auth";
import { isPastAbsoluteLimit, type SessionUser } from "@/lib/auth/session-policy";
import { getAuthOptions } from "./options";

/** The signed-in user, or null when signed out or past the 12-hour absolute limit. */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user as SessionUser | undefined;
  if (!user?.id) return null;
  if (isPastAbsoluteLimit(user.authTime, Math.floor(Date.now() / 1000))) return null;
  return user;
}
