import { vmacCreateSchema as createSchema } from "@/lib/port-security/event";
import type { Db } from "@/server/db/client";
import { readJsonBody, refuseBearer } from "@/server/http/guards";
import { answerAppErrors, json } from "@/server/http/respond";
import { createVmac, listVmacs } from "@/server/services/port-security/vmacs";

const DOOR = "virtual-macs";

/**
 * `GET/POST /api/v1/virtual-macs` for Tenantos scripts, behind the same bearer token as the
 * event door: GET `?ip=` or `?serverId=` lists active VMACs; POST `{ip, serverId}` creates one
 * (200 when it already existed, 201 when new).
 */
export async function handleVirtualMacs(req: Request, deps: { db: Db; token: string | undefined }): Promise<Response> {
  const refused = refuseBearer(req, deps.token, DOOR);
  if (refused) return refused;
  return answerAppErrors(async () => {
    if (req.method === "GET") {
      const q = new URL(req.url).searchParams;
      const search = q.get("ip") ?? q.get("serverId") ?? undefined;
      return json(200, { result: await listVmacs(deps.db, { search, isActiveOnly: true, limit: 1000 }) });
    }
    const read = await readJsonBody(req, 16 * 1024, DOOR);
    if ("refusal" in read) return read.refusal;
    const parsed = createSchema.safeParse(read.body);
    if (!parsed.success) return json(400, { error: `${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}` });
    const { vmac, isNew } = await createVmac(deps.db, { id: "api:virtual-macs" }, parsed.data);
    return json(isNew ? 201 : 200, { result: vmac });
  });
}
