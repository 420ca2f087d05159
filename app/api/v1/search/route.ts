import { getDatabase } from "@/server/db/client";
import { handleSearchApi } from "@/server/doors/addresses-api";

export const dynamic = "force-dynamic";

export const GET = (req: Request) => handleSearchApi(req, { db: getDatabase().db });
