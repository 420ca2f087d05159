import { isBearerTokenValid } from "@/server/auth/bearer";
import { countDoorRejection } from "@/server/metrics";
import { readBytesLimited } from "./read-body";
import { json } from "./respond";

// The checks machine doors share: each returns the refusal to send, or what passed. (Session checks
// for route handlers are in session-guard.ts: they need Next's request scope, doors do not.)
// The `*Answer` forms work on plain values, so the production server's event doors can run them on
// node:http without building a web Request and Response per event (bench:webhooks).

/** A door's answer before it is put on the wire: status and JSON body. */
export interface DoorAnswer {
  status: number;
  body: unknown;
  /** Extra headers (a 503's Retry-After). */
  headers?: Record<string, string>;
}

/** Tenantos's shared bearer token: 503 while none is configured, 401 (counted) when wrong; null when it passes. */
export function checkBearerAnswer(authorization: string | null, token: string | undefined, door: string): DoorAnswer | null {
  if (!token) {
    countDoorRejection(door, "unavailable");
    return { status: 503, body: { error: "port-security automation is off: PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set" } };
  }
  if (!isBearerTokenValid(authorization, token)) {
    countDoorRejection(door, "auth");
    return { status: 401, body: { error: "missing or wrong bearer token" } };
  }
  return null;
}

/** A body already read (undefined: it was over `limit`) as JSON: 413 past the limit, 400 when not JSON (both counted). */
export function parseJsonAnswer(bytes: Buffer | undefined, limit: number, door: string): { body: unknown } | { refusal: DoorAnswer } {
  if (bytes === undefined) {
    countDoorRejection(door, "size");
    return { refusal: { status: 413, body: { error: `body is over ${limit} bytes` } } };
  }
  try {
    return { body: JSON.parse(bytes.toString("utf8")) };
  } catch {
    countDoorRejection(door, "body");
    return { refusal: { status: 400, body: { error: "body is not JSON" } } };
  }
}

const toResponse = (a: DoorAnswer) => json(a.status, a.body);

/** `checkBearerAnswer` for a web Request. */
export function refuseBearer(req: Request, token: string | undefined, door: string): Response | null {
  const refused = checkBearerAnswer(req.headers.get("authorization"), token, door);
  return refused && toResponse(refused);
}

/** A JSON body of at most `limit` bytes from a web Request. */
export async function readJsonBody(req: Request, limit: number, door: string): Promise<{ body: unknown } | { refusal: Response }> {
  const read = parseJsonAnswer(await readBytesLimited(req, limit), limit, door);
  return "refusal" in read ? { refusal: toResponse(read.refusal) } : read;
}
