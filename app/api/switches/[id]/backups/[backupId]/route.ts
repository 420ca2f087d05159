import { hasAccess } from "@/lib/auth/roles";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getDatabase } from "@/server/db/client";
import { requireSessionAccess } from "@/server/http/session-guard";
import { answerAppErrors, text } from "@/server/http/respond";
import { downloadBackup } from "@/server/services/switches/backup-views";

export const dynamic = "force-dynamic";

/** Download one backup: viewers get secrets masked, admins the configuration as the switch holds it (audited). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; backupId: string }> }) {
  const session = await requireSessionAccess("viewer");
  if ("refusal" in session) return session.refusal;
  const { id, backupId } = await ctx.params;
  const [switchId, bid] = [Number(id), Number(backupId)];
  if (!Number.isInteger(switchId) || !Number.isInteger(bid)) return text(404, "not found\n");
  const { user } = session;
  return answerAppErrors(async () => {
    const { row, text: config } = await downloadBackup(
      getDatabase().db,
      getSecretsKey(),
      { id: user.email || user.id },
      { switchId, backupId: bid, isSecretsVisible: hasAccess(user.roles, "admin") },
    );
    return text(200, `${config}\n`, { "content-disposition": `attachment; filename="switch-${switchId}-backup-${row.id}.conf"` });
  }, "text");
}
