import { getDatabase } from "@/server/db/client";
import { handlePortSecurityEvent } from "@/server/doors/port-security-event";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return handlePortSecurityEvent(req, { db: getDatabase().db, token: getEnv().PORT_SECURITY_EVENT_API_BEARER_TOKEN });
}
