import { hasAccess } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { getSessionUser } from "@/server/auth/session";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getDatabase } from "@/server/db/client";
import { writeAudit } from "@/server/services/platform/audit";
import { getBackupText } from "@/server/services/switches/backup-views";

export const dynamic = "force-dynamic";

/** Download one backup: viewers get secrets masked, admins the configuration as the switch holds it. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; backupId: string }> }) {
  const user = await getSessionUser();
  if (!user) return new Response("sign in first\n", { status: 401 });
  if (!hasAccess(user.roles, "viewer")) return new Response("forbidden\n", { status: 403 });
  const { id, backupId } = await ctx.params;
  const switchId = Number(id);
  const bid = Number(backupId);
  if (!Number.isInteger(switchId) || !Number.isInteger(bid)) return new Response("not found\n", { status: 404 });
  try {
    const isSecretsVisible = hasAccess(user.roles, "admin");
    const db = getDatabase().db;
    const { row, text } = await getBackupText(db, getSecretsKey(), switchId, bid, { isSecretsVisible });
    // A configuration with its secrets left the building: who took it is on record.
    if (isSecretsVisible)
      await db.transaction((tx) =>
        writeAudit(
          tx,
          { id: user.email || user.id },
          { action: "switch.backup_download", entityType: "switch_backup", entityId: String(row.id), after: { switchId } },
        ),
      );
    return new Response(`${text}\n`, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="switch-${switchId}-backup-${row.id}.conf"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") return new Response("not found\n", { status: 404 });
    throw e;
  }
}
