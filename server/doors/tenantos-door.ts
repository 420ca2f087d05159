import type { z } from "zod";
import { describeEventError, type PortSecurityEvent } from "@/lib/port-security/event";
import type { Db } from "@/server/db/client";
import { readJsonBody, refuseBearer } from "@/server/http/guards";
import { json } from "@/server/http/respond";
import { countDoorRejection } from "@/server/metrics";
import { acceptPortSecurityEvent } from "@/server/services/port-security/events";

const MAX_BODY = 64 * 1024;

/**
 * A door Tenantos's listener posts to: bearer token (constant time), 64 KB, JSON, the body's
 * schema, then the event is stored and its job queued in one transaction and answered 202.
 * No switch is contacted in the request.
 */
export async function handleTenantosDoor(
  req: Request,
  deps: { db: Db; token: string | undefined },
  door: string,
  schema: z.ZodType<PortSecurityEvent>,
): Promise<Response> {
  const refused = refuseBearer(req, deps.token, door);
  if (refused) return refused;
  const read = await readJsonBody(req, MAX_BODY, door);
  if ("refusal" in read) return read.refusal;
  const parsed = schema.safeParse(read.body);
  if (!parsed.success) {
    countDoorRejection(door, "body");
    return json(400, { error: describeEventError(parsed.error) });
  }
  const { id, isDuplicate } = await acceptPortSecurityEvent(deps.db, parsed.data);
  return json(202, { eventId: id, duplicate: isDuplicate });
}
