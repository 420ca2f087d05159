import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { describeEventError, type PortSecurityEvent } from "@/lib/port-security/event";
import type { Db } from "@/server/db/client";
import { checkBearerAnswer, parseJsonAnswer, type DoorAnswer } from "@/server/http/guards";
import { readNodeBody } from "@/server/http/node-request";
import { readBytesLimited } from "@/server/http/read-body";
import { json } from "@/server/http/respond";
import { databaseAwayAnswer, writeUnlessDatabaseAway } from "./database-away";

export { databaseAwayAnswer, DOOR_DATABASE_WAIT_MS, DOOR_RETRY_AFTER_S } from "./database-away";
import { countDoorRejection } from "@/server/metrics";
import { acceptPortSecurityEvent } from "@/server/services/port-security/events";

/** The largest event body a Tenantos door reads. */
export const TENANTOS_DOOR_MAX_BODY = 64 * 1024;

/** A Tenantos door: its name (metrics) and the schema of its body. */
export interface TenantosDoor {
  name: string;
  schema: z.ZodType<PortSecurityEvent>;
}

export interface TenantosDoorDeps {
  db: Db;
  token: string | undefined;
  /** How an event is stored (default: one round trip each); the production server gathers them. */
  accept?: (event: PortSecurityEvent) => Promise<{ id: number; isDuplicate: boolean }>;
}

/**
 * A door Tenantos's listener posts to: bearer token (constant time), 64 KB, JSON, the body's
 * schema, then the event is stored and its job queued in one transaction and answered 202.
 * No switch is contacted in the request. On plain values: the body is read only once the token
 * passed, and `readBody` answers undefined past the limit. Both ways in (Next's route handler, the
 * production server's node:http fast path) use it.
 */
export async function answerTenantosDoor(
  input: { authorization: string | null; readBody(limit: number): Promise<Buffer | undefined> },
  deps: TenantosDoorDeps,
  { name: door, schema }: TenantosDoor,
): Promise<DoorAnswer> {
  const refused = checkBearerAnswer(input.authorization, deps.token, door);
  if (refused) return refused;
  const read = parseJsonAnswer(await input.readBody(TENANTOS_DOOR_MAX_BODY), TENANTOS_DOOR_MAX_BODY, door);
  if ("refusal" in read) return read.refusal;
  const parsed = schema.safeParse(read.body);
  if (!parsed.success) {
    countDoorRejection(door, "body");
    return { status: 400, body: { error: describeEventError(parsed.error) } };
  }
  const stored = await writeUnlessDatabaseAway(deps.accept ? deps.accept(parsed.data) : acceptPortSecurityEvent(deps.db, parsed.data));
  if (!stored) {
    countDoorRejection(door, "unavailable");
    return databaseAwayAnswer();
  }
  return { status: 202, body: { eventId: stored.value.id, duplicate: stored.value.isDuplicate } };
}

/** The door for a web Request (Next's route handlers, tests). */
export async function handleTenantosDoor(req: Request, deps: TenantosDoorDeps, door: TenantosDoor): Promise<Response> {
  const answer = await answerTenantosDoor({ authorization: req.headers.get("authorization"), readBody: (limit) => readBytesLimited(req, limit) }, deps, door);
  return json(answer.status, answer.body, answer.headers);
}

/**
 * The door straight on node:http (the production server's fast path, and the bench's bare door),
 * without a web Request and Response per event: half the door's own CPU per event.
 */
export async function serveTenantosDoorOnNode(req: IncomingMessage, res: ServerResponse, deps: TenantosDoorDeps, door: TenantosDoor): Promise<void> {
  const answer = await answerTenantosDoor({ authorization: req.headers.authorization ?? null, readBody: (limit) => readNodeBody(req, limit) }, deps, door);
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(body),
    ...answer.headers,
  });
  res.end(body);
}
