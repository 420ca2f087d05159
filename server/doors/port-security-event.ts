import { portSecurityEventSchema } from "@/lib/port-security/event";
import type { Db } from "@/server/db/client";
import { handleTenantosDoor, type TenantosDoor } from "./tenantos-door";

/** `POST /api/port-security/event`: an IP assigned or removed, or a server deleted. */
export const PORT_SECURITY_EVENT_DOOR: TenantosDoor = { name: "port-security-event", schema: portSecurityEventSchema };

export function handlePortSecurityEvent(req: Request, deps: { db: Db; token: string | undefined }): Promise<Response> {
  return handleTenantosDoor(req, deps, PORT_SECURITY_EVENT_DOOR);
}
