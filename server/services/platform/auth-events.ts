import type { Db } from "@/server/db/client";
import { writeAudit } from "./audit";

export type AuthEvent = "auth.sign_in" | "auth.sign_in_failed" | "auth.access_denied" | "auth.sign_out";

/** Sign-ins and refused access land in the audit log like any write. */
export async function recordAuthEvent(db: Db, actorId: string, action: AuthEvent, details: Record<string, unknown>): Promise<void> {
  await db.transaction((tx) => writeAudit(tx, { id: actorId }, { action, entityType: "session", entityId: actorId, after: details }));
}

/** One access-denied row per user and procedure a minute: a script hammering a door must not flood the log. */
export const ACCESS_DENIED_WINDOW_MS = 60_000;
const global = globalThis as unknown as { sankofaDenied?: Map<string, { writtenAt: number; suppressed: number }> };

/** Refused access, coalesced: the first refusal of a minute is written, with how many were folded into it since the last row. */
export async function recordAccessDenied(db: Db, actorId: string, details: { path: string } & Record<string, unknown>, now = Date.now()): Promise<void> {
  const seen = (global.sankofaDenied ??= new Map());
  const key = `${actorId}|${details.path}`;
  const last = seen.get(key);
  if (last && now - last.writtenAt < ACCESS_DENIED_WINDOW_MS) {
    last.suppressed++;
    return;
  }
  seen.set(key, { writtenAt: now, suppressed: 0 });
  await recordAuthEvent(db, actorId, "auth.access_denied", { ...details, repeatsSinceLastRow: last?.suppressed ?? 0 });
}
