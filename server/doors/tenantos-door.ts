import type { z } from "zod";
import { describeEventError, type PortSecurityEvent } from "@/lib/port-security/event";
import { isBearerTokenValid } from "@/server/auth/bearer";
import type { Db } from "@/server/db/client";
import { readBodyLimited } from "@/server/http/read-body";
import { countDoorRejection } from "@/server/metrics";
import { acceptPortSecurityEvent } from "@/server/services/port-security/events";

const MAX_BODY = 64 * 1024;
const json = (status: number, body: unknown) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

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
  const { token } = deps;
  if (!token) {
    countDoorRejection(door, "unavailable");
    return json(503, { error: "port-security automation is off: PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set" });
  }
  if (!isBearerTokenValid(req.headers.get("authorization"), token)) {
    countDoorRejection(door, "auth");
    return json(401, { error: "missing or wrong bearer token" });
  }
  const text = await readBodyLimited(req, MAX_BODY);
  if (text === undefined) {
    countDoorRejection(door, "size");
    return json(413, { error: `body is over ${MAX_BODY} bytes` });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    countDoorRejection(door, "body");
    return json(400, { error: "body is not JSON" });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    countDoorRejection(door, "body");
    return json(400, { error: describeEventError(parsed.error) });
  }
  const { id, isDuplicate } = await acceptPortSecurityEvent(deps.db, parsed.data);
  return json(202, { eventId: id, duplicate: isDuplicate });
}
