import { provisioningEventSchema } from "@/lib/port-security/event";
import type { Db } from "@/server/db/client";
import { handleTenantosDoor, type TenantosDoor } from "./tenantos-door";

/**
 * `POST /api/provisioning/event`: a server was provisioned. Its switch port is set up through the
 * same engine as every event: the description naming the server and its initial bindings.
 */
export const PROVISIONING_EVENT_DOOR: TenantosDoor = { name: "provisioning-event", schema: provisioningEventSchema };

export function handleProvisioningEvent(req: Request, deps: { db: Db; token: string | undefined }): Promise<Response> {
  return handleTenantosDoor(req, deps, PROVISIONING_EVENT_DOOR);
}
