import { getDatabase } from "@/server/db/client";
import { handleVirtualMacs } from "@/server/doors/virtual-macs";
import { getEnv } from "@/server/env";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import { loadOutsideSystems } from "@/server/services/port-security/connections";

export const dynamic = "force-dynamic";

const handle = (req: Request) => {
  const { db } = getDatabase();
  const env = getEnv();
  return handleVirtualMacs(req, { db, token: env.PORT_SECURITY_EVENT_API_BEARER_TOKEN, getPanel: () => loadOutsideSystems(db, env, getSecretsKey()) });
};
export { handle as GET, handle as POST };
