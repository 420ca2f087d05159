import { getDatabase } from "@/server/db/client";
import { handleAddressExportApi } from "@/server/doors/addresses-api";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ address: string }> }) {
  return handleAddressExportApi(req, { db: getDatabase().db }, decodeURIComponent((await ctx.params).address));
}
