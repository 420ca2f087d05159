import { isMetricsRequestAllowed } from "@/server/auth/metrics-token";
import { getDatabase } from "@/server/db/client";
import { text } from "@/server/http/respond";
import { renderMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  if (!isMetricsRequestAllowed(req.headers.get("authorization"))) return text(401, "unauthorized\n", { "www-authenticate": "Bearer" });
  const { body, contentType } = await renderMetrics(getDatabase().db);
  return text(200, body, { "content-type": contentType });
}
