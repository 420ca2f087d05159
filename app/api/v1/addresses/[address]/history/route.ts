import { getDatabase } from "@/server/db/client";
import { handleAddressHistoryApi } from "@/server/doors/addresses-api";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ address: string }> }) {
  return handleAddressHistoryApi(req, { db: getDatabase().db }, decodeURIComponent((await ctx.params).address));
}
