import { getDatabase } from "@/server/db/client";
import { handleInventoryRefresh } from "@/server/doors/inventory-api";

export const dynamic = "force-dynamic";

export const POST = (req: Request) => handleInventoryRefresh(req, { db: getDatabase().db });
