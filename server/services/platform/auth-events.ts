import type { Db } from "@/server/db/client";
import { writeAudit } from "./audit";

export type AuthEvent = "auth.sign_in" | "auth.sign_in_failed" | "auth.access_denied" | "auth.sign_out";

/** Sign-ins and refused access land in the audit log like any write. */
export async function recordAuthEvent(db: Db, actorId: string, action: AuthEvent, details: Record<string, unknown>): Promise<void> {
  await db.transaction((tx) => writeAudit(tx, { id: actorId }, { action, entityType: "session", entityId: actorId, after: details }));
}
