import { getDatabase } from "@/server/db/client";
import { answerAddressExport } from "@/server/doors/addresses-api";
import { answerAppErrors } from "@/server/http/respond";
import { requireSessionAccess } from "@/server/http/session-guard";

export const dynamic = "force-dynamic";

/** The address page's abuse reply download (signed-in viewers): the same file as the API's. */
export async function GET(req: Request, ctx: { params: Promise<{ address: string }> }) {
  const session = await requireSessionAccess("viewer");
  if ("refusal" in session) return session.refusal;
  const address = decodeURIComponent((await ctx.params).address);
  return answerAppErrors(() => answerAddressExport(getDatabase().db, address, new URL(req.url).searchParams));
}
