import { isMetricsRequestAllowed } from "@/server/auth/metrics-token";
import { getDatabase } from "@/server/db/client";
import { renderMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  if (!isMetricsRequestAllowed(req.headers.get("authorization"))) {
    return new Response("unauthorized\n", { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  const { body, contentType } = await renderMetrics(getDatabase().db);
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
