import { vmacCreateSchema as createSchema } from "@/lib/port-security/event";
import { parseIpAddress } from "@/lib/net/ip";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { Db } from "@/server/db/client";
import { readJsonBody, refuseBearer } from "@/server/http/guards";
import { answerAppErrors, json } from "@/server/http/respond";
import { createVmac, listVmacs } from "@/server/services/port-security/vmacs";

const DOOR = "virtual-macs";

/**
 * `GET/POST /api/v1/virtual-macs` for Tenantos scripts, behind the same bearer token as the
 * event door: GET `?ip=` or `?serverId=` lists active VMACs; POST `{ip, serverId}` creates one
 * (200 when it already existed, 201 when new) — only for an IP Tenantos assigns to that server: a
 * VMAC binds the IP to the server's port, so a script (or whoever holds the token) must not move
 * another customer's address onto it.
 */
export async function handleVirtualMacs(
  req: Request,
  deps: { db: Db; token: string | undefined; getPanel: () => Promise<OutsideSystems | undefined> },
): Promise<Response> {
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
    const { ip } = parseIpAddress(parsed.data.ip);
    const panel = await deps.getPanel();
    if (!panel) return json(503, { error: "Tenantos is not configured: whether it assigns this IP to the server cannot be checked, so no VMAC is made" });
    // Asked before any transaction (no network call inside one).
    const assigned = await panel.tenantos.getIpAssignments(parsed.data.serverId);
    if (!assigned.some((a) => parseIpAddress(a.ip).ip === ip))
      return json(409, { error: `Tenantos does not assign ${ip} to server ${parsed.data.serverId}: a VMAC is made only for the server's own IPs` });
    const { vmac, isNew } = await createVmac(deps.db, { id: "api:virtual-macs" }, { ...parsed.data, ip });
    return json(isNew ? 201 : 200, { result: vmac });
  });
}
