import { getDatabase } from "@/server/db/client";
import { requireSessionAccess } from "@/server/http/session-guard";
import { answerAppErrors, text } from "@/server/http/respond";
import { handleQuoteDocument } from "@/server/services/billing/quote-documents";

export const dynamic = "force-dynamic";

/** A quote as the customer gets it: `/api/billing/quotes/<id>/pdf` or `/csv` (finance and IT admins). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; format: string }> }) {
  const session = await requireSessionAccess("finance");
  if ("refusal" in session) return session.refusal;
  const { id, format } = await ctx.params;
  return answerAppErrors(async () => (await handleQuoteDocument(getDatabase().db, id, format)) ?? text(404, "not found: pdf or csv\n"), "text");
}
