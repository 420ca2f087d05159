// `npm run inventory:export -- --out DIR [--conf ip-addresses.conf] [--doc ALL_VMIDS_ENDPOINTS.md]`
// Collects the live inventory once from Proxmox (PROXMOX_* variables) and writes
// DIR/live_inventory.json and DIR/drift.json. With DATABASE_URL the snapshot is stored (trigger
// `cli`) and, without --conf/--doc, the declared files imported in the console are used.
// Exit: 0 done (also when Proxmox cannot be reached: `seed_unreachable` is recorded), 2 duplicate
// guest IPs, 1 bad usage or configuration.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import nextEnv from "@next/env";
import { buildDriftJson, type DeclaredText, type IpamSide, type LiveInventoryJson } from "@/lib/inventory/report";
import { guestAddresses } from "@/lib/inventory/snapshot";
import { parseSecretsKey } from "@/server/crypto/secret-box";
import { createDatabase, type Database } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { getDeclaredFiles, getIpamDriftSide, getLiveInventory } from "@/server/services/inventory/queries";
import { collectInventory, readLiveInventory } from "@/server/services/inventory/collector";
import { createProxmoxClientFromEnv } from "@/server/services/inventory/sources";

class UsageError extends Error {}

async function readDeclared(file: string | undefined): Promise<DeclaredText | null> {
  if (!file) return null;
  try {
    return { content: await readFile(file, "utf8"), name: path.basename(file), importedAt: null };
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string" }, conf: { type: "string" }, doc: { type: "string" } }, strict: true });
  if (!values.out) throw new UsageError("--out DIR is required");
  nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
  const env = getEnv();
  const client = createProxmoxClientFromEnv(env);
  if (!client) throw new UsageError("Proxmox is not configured: set PROXMOX_URL, PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET");
  let declared: Awaited<ReturnType<typeof getDeclaredFiles>> = {
    conf: await readDeclared(values.conf),
    doc: await readDeclared(values.doc),
  };

  let database: Database | undefined;
  let live: LiveInventoryJson;
  let ipam: IpamSide | undefined;
  let seedError: string | null = null;
  try {
    if (env.DATABASE_URL) {
      database = createDatabase(env.DATABASE_URL, { max: 2 });
      const snapshot = await collectInventory(database.db, { client, trigger: "cli" });
      if (snapshot.status === "failed") seedError = snapshot.error;
      // The last good snapshot (stale when this run failed), as the console shows it.
      live = await getLiveInventory(database.db);
      if (!values.conf && !values.doc) declared = await getDeclaredFiles(database.db);
      // IPAM against the switches needs SECRETS_KEY to read their backups; without it those kinds stay empty.
      ipam = await getIpamDriftSide(
        database.db,
        env.SECRETS_KEY ? parseSecretsKey(env.SECRETS_KEY) : undefined,
        live.guests.flatMap((g) => guestAddresses(g)),
      );
    } else {
      try {
        const data = await readLiveInventory(client);
        live = { collected_at: new Date().toISOString(), is_stale: false, error: null, ...data };
      } catch (e) {
        seedError = e instanceof Error ? e.message : String(e);
        live = { collected_at: null, is_stale: true, error: seedError, nodes: [], guests: [], warnings: [] };
      }
    }
  } finally {
    await database?.close();
  }
  if (seedError) Object.assign(live, { seed_unreachable: true, error: seedError });
  const { nodes: _n, guests: _g, warnings: _w, ...freshness } = live;
  const drift = buildDriftJson({ freshness, data: live.collected_at ? live : null, ...declared, ipam });

  await mkdir(values.out, { recursive: true });
  await writeFile(path.join(values.out, "live_inventory.json"), `${JSON.stringify(live, null, 2)}\n`);
  await writeFile(path.join(values.out, "drift.json"), `${JSON.stringify(drift, null, 2)}\n`);
  const counts = drift.counts
    ? Object.entries(drift.counts)
        .map(([k, n]) => `${k}=${n}`)
        .join(" ")
    : "no drift computed (nothing declared or no data)";
  console.log(`inventory-export: ${live.guests.length} guests on ${live.nodes.length} nodes${seedError ? ` (seed unreachable: ${seedError})` : ""}; ${counts}`);
  if (seedError) return 0;
  return (drift.duplicate_guest_ips?.length ?? 0) > 0 ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`inventory-export: ${e instanceof UsageError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
