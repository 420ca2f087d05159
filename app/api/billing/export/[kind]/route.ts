import { getDatabase } from "@/server/db/client";
import { requireSessionAccess } from "@/server/http/session-guard";
import { answerAppErrors, text } from "@/server/http/respond";
import { handleBillingExport } from "@/server/services/billing/export";

export const dynamic = "force-dynamic";

/**
 * Finance's CSV downloads (finance and IT admins): `usage?from=&to=`, `invoice?id=`,
 * `invoices?periodStart=`, `ledger`, and the accounting imports `quickbooks?periodStart=`,
 * `netsuite?periodStart=`. Streamed from a database cursor as the client reads.
 */
export async function GET(req: Request, ctx: { params: Promise<{ kind: string }> }) {
  const session = await requireSessionAccess("finance");
  if ("refusal" in session) return session.refusal;
  const { kind } = await ctx.params;
  return answerAppErrors(
    async () =>
      handleBillingExport(getDatabase().sql, kind, new URL(req.url).searchParams, getDatabase().db) ??
      text(404, "not found: usage, invoice, invoices, ledger, quickbooks or netsuite\n"),
    "text",
  );
}
