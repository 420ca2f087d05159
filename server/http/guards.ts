import { isBearerTokenValid } from "@/server/auth/bearer";
import { countDoorRejection } from "@/server/metrics";
import { readBodyLimited } from "./read-body";
import { json } from "./respond";

// The checks machine doors share: each returns the refusal to send, or what passed. (Session checks
// for route handlers are in session-guard.ts: they need Next's request scope, doors do not.)

/** Tenantos's shared bearer token: 503 while none is configured, 401 (counted) when wrong. */
export function refuseBearer(req: Request, token: string | undefined, door: string): Response | null {
  if (!token) {
    countDoorRejection(door, "unavailable");
    return json(503, { error: "port-security automation is off: PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set" });
  }
  if (!isBearerTokenValid(req.headers.get("authorization"), token)) {
    countDoorRejection(door, "auth");
    return json(401, { error: "missing or wrong bearer token" });
  }
  return null;
}

/** A JSON body of at most `limit` bytes: 413 past it, 400 when it is not JSON (both counted). */
export async function readJsonBody(req: Request, limit: number, door: string): Promise<{ body: unknown } | { refusal: Response }> {
  const raw = await readBodyLimited(req, limit);
  if (raw === undefined) {
    countDoorRejection(door, "size");
    return { refusal: json(413, { error: `body is over ${limit} bytes` }) };
  }
  try {
    return { body: JSON.parse(raw) };
  } catch {
    countDoorRejection(door, "body");
    return { refusal: json(400, { error: "body is not JSON" }) };
  }
}
