import type { ApiScope } from "@/lib/auth/api-scopes";
import type { Db } from "@/server/db/client";
import { json } from "@/server/http/respond";
import { countDoorRejection } from "@/server/metrics";
import { checkApiKey } from "@/server/services/platform/api-keys";
import { getInventoryDrift, getLiveInventory } from "@/server/services/inventory/queries";
import { requestInventoryRefresh } from "@/server/services/inventory/jobs";

const DOOR = "inventory-api";

/** `secretsKey` lets drift read the switches' backups (the IPAM-against-bindings kinds). */
type Deps = { db: Db; secretsKey?: Buffer };
type Handler = (req: Request, deps: Deps) => Promise<Response>;

function withApiKey(scope: ApiScope, serve: (deps: Deps, keyPrefix: string) => Promise<Response>): Handler {
  return async (req, deps) => {
    const check = await checkApiKey(deps.db, req.headers.get("authorization"), scope);
    if (!check.ok) {
      countDoorRejection(DOOR, "auth");
      return json(check.status, { error: check.error }, check.status === 401 ? { "www-authenticate": 'Bearer realm="sankofa-it"' } : {});
    }
    return serve(deps, check.key.prefix);
  };
}

/** `GET /api/v1/inventory/live`: `live_inventory.json`, with `collected_at` and `is_stale`. */
export const handleInventoryLive: Handler = withApiKey("inventory:read", async ({ db }) => json(200, await getLiveInventory(db)));

/** `GET /api/v1/inventory/drift`: `drift.json`. */
export const handleInventoryDrift: Handler = withApiKey("inventory:read", async ({ db, secretsKey }) => json(200, await getInventoryDrift(db, { secretsKey })));

/** `POST /api/v1/inventory/refresh`: 202 with the collection job (joined if one is waiting). */
export const handleInventoryRefresh: Handler = withApiKey("inventory:refresh", async ({ db }, prefix) => {
  const { jobId } = await requestInventoryRefresh(db, { id: `api-key:${prefix}` }, "api");
  return json(202, { job_id: jobId, status: "queued" });
});
