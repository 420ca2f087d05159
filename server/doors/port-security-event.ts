import { portSecurityEventSchema } from "@/lib/port-security/event";
import type { Db } from "@/server/db/client";
import { handleTenantosDoor } from "./tenantos-door";

/** `POST /api/port-security/event`: an IP assigned or removed, or a server deleted. */
export function handlePortSecurityEvent(req: Request, deps: { db: Db; token: string | undefined }): Promise<Response> {
  return handleTenantosDoor(req, deps, "port-security-event", portSecurityEventSchema);
}
