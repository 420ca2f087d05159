import { describeEventError, portSecurityEventSchema } from "@/lib/port-security/event";
import { isBearerTokenValid } from "@/server/auth/bearer";
import type { Db } from "@/server/db/client";
import { readBodyLimited } from "@/server/http/read-body";
import { countDoorRejection } from "@/server/metrics";
import { acceptPortSecurityEvent } from "@/server/services/port-security-events";

const DOOR = "port-security-event";
const MAX_BODY = 64 * 1024;
const json = (status: number, body: unknown) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

/**
 * Tenantos's door: validate, store, answer 202. No switch is contacted in the request; the
 * event is a hint for the loop, which reads the facts again when it pushes.
 */
export async function handlePortSecurityEvent(req: Request, deps: { db: Db; token: string | undefined }): Promise<Response> {
  const { token } = deps;
  if (!token) {
    countDoorRejection(DOOR, "unavailable");
    return json(503, { error: "port-security automation is off: PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set" });
  }
  if (!isBearerTokenValid(req.headers.get("authorization"), token)) {
    countDoorRejection(DOOR, "auth");
    return json(401, { error: "missing or wrong bearer token" });
  }
  const text = await readBodyLimited(req, MAX_BODY);
  if (text === undefined) {
    countDoorRejection(DOOR, "size");
    return json(413, { error: `body is over ${MAX_BODY} bytes` });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    countDoorRejection(DOOR, "body");
    return json(400, { error: "body is not JSON" });
  }
  const parsed = portSecurityEventSchema.safeParse(body);
  if (!parsed.success) {
    countDoorRejection(DOOR, "body");
    return json(400, { error: describeEventError(parsed.error) });
  }
  const { id, isDuplicate } = await acceptPortSecurityEvent(deps.db, parsed.data);
  return json(202, { eventId: id, duplicate: isDuplicate });
}
