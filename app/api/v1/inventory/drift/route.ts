import { getSecretsKey } from "@/server/crypto/secrets-key";
import { getDatabase } from "@/server/db/client";
import { handleInventoryDrift } from "@/server/doors/inventory-api";

export const dynamic = "force-dynamic";

export const GET = (req: Request) => handleInventoryDrift(req, { db: getDatabase().db, secretsKey: getSecretsKey() });
