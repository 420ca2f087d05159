import { getDatabase } from "@/server/db/client";
import { handleVirtualMacs } from "@/server/doors/virtual-macs";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

const handle = (req: Request) => handleVirtualMacs(req, { db: getDatabase().db, token: getEnv().PORT_SECURITY_EVENT_API_BEARER_TOKEN });
export { handle as GET, handle as POST };
