import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { isBearerTokenValid } from "@/server/auth/bearer";
import type { Db } from "@/server/db/client";
import { readBodyLimited } from "@/server/http/read-body";
import { countDoorRejection } from "@/server/metrics";
import { createVmac, listVmacs } from "@/server/services/port-security/vmacs";

const DOOR = "virtual-macs";
const json = (status: number, body: unknown) => Response.json(body, { status, headers: { "cache-control": "no-store" } });
const STATUS = { BAD_REQUEST: 400, CONFLICT: 409, NOT_FOUND: 404, UNAVAILABLE: 503 } as const;
const createSchema = z.object({
  ip: z.string().max(64),
  serverId: z.union(
    [
      z.number().int().positive(),
      z
        .string()
        .regex(/^\d{1,10}$/)
        .transform(Number),
    ],
    { error: "serverId must be a positive integer" },
  ),
});

/**
 * `GET/POST /api/v1/virtual-macs` for Tenantos scripts, behind the same bearer token as the
 * event door: GET `?ip=` or `?serverId=` lists active VMACs; POST `{ip, serverId}` creates one
 * (200 when it already existed, 201 when new).
 */
export async function handleVirtualMacs(req: Request, deps: { db: Db; token: string | undefined }): Promise<Response> {
  if (!deps.token) return json(503, { error: "PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set" });
  if (!isBearerTokenValid(req.headers.get("authorization"), deps.token)) {
    countDoorRejection(DOOR, "auth");
    return json(401, { error: "missing or wrong bearer token" });
  }
  try {
    if (req.method === "GET") {
      const q = new URL(req.url).searchParams;
      const search = q.get("ip") ?? q.get("serverId") ?? undefined;
      return json(200, { result: await listVmacs(deps.db, { search, isActiveOnly: true, limit: 1000 }) });
    }
    const text = await readBodyLimited(req, 16 * 1024);
    if (text === undefined) return json(413, { error: "body is over 16 KB" });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(400, { error: "body is not JSON" });
    }
    const parsed = createSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: `${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}` });
    const { vmac, isNew } = await createVmac(deps.db, { id: "api:virtual-macs" }, parsed.data);
    return json(isNew ? 201 : 200, { result: vmac });
  } catch (e) {
    if (isAppError(e) && e.code in STATUS) return json(STATUS[e.code as keyof typeof STATUS], { error: e.message });
    throw e;
  }
}
