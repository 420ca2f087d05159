import { getDatabase } from "@/server/db/client";
import { handleInventoryLive } from "@/server/doors/inventory-api";

export const dynamic = "force-dynamic";

export const GET = (req: Request) => handleInventoryLive(req, { db: getDatabase().db });
