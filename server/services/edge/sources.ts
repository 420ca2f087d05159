import { createNpmClient, type NpmClient } from "@/server/connectors/npm/client";
import { createUnifiClient, type UnifiClient } from "@/server/connectors/unifi/client";
import type { DbOrTx } from "@/server/db/client";
import { loadEdgeConfig } from "../port-security/connections";

/** The UniFi and NPM clients from the connections saved in the console, read per run so a save applies at once. */
export async function resolveEdgeClients(db: DbOrTx, secretsKey: Buffer): Promise<{ unifi?: UnifiClient; npm?: NpmClient }> {
  const config = await loadEdgeConfig(db, secretsKey);
  return {
    unifi: config.unifi ? createUnifiClient(config.unifi) : undefined,
    npm: config.npm ? createNpmClient(config.npm) : undefined,
  };
}
