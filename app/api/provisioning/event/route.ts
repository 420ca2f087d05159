import { getDatabase } from "@/server/db/client";
import { handleProvisioningEvent } from "@/server/doors/provisioning-event";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

export function POST(req: Request) {
  return handleProvisioningEvent(req, { db: getDatabase().db, token: getEnv().PORT_SECURITY_EVENT_API_BEARER_TOKEN });
}
