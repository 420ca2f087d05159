import { getDatabase } from "@/server/db/client";
import { json } from "@/server/http/respond";
import { checkHealth, toPublicHealth } from "@/server/services/platform/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(getDatabase().db);
  return json(health.ok ? 200 : 503, toPublicHealth(health));
}
