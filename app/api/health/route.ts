import { getDatabase } from "@/server/db/client";
import { checkHealth } from "@/server/services/platform/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(getDatabase().db);
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
