// A bench's own database: an embedded Postgres in `.data/<dir>` on its own port, a database made
// fresh for the run (a previous run's is dropped) and migrated. Loopback only.
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "@/server/boot/embedded-postgres";
import { migrateDatabase } from "@/server/db/migrate";

export async function startBenchDatabase(name: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const pg = await startEmbeddedPostgres({ dataDir: path.resolve(`.data/${name}`), port });
  const database = name.replace(/-/g, "_");
  const admin = postgres(pg.url.replace(/\/sankofa$/, "/postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists sankofa_${database} with (force)`);
  await admin.unsafe(`create database sankofa_${database}`);
  await admin.end();
  const url = pg.url.replace(/\/sankofa$/, `/sankofa_${database}`);
  await migrateDatabase(url);
  return { url, stop: () => pg.stop() };
}
