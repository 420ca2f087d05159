import { mkdir } from "node:fs/promises";
import path from "node:path";
import nextEnv from "@next/env";
import postgres from "postgres";
import { getEnv, type Env } from "@/server/env";
import { migrateDatabase } from "@/server/db/migrate";
import { redactDatabaseUrl } from "@/server/db/redact";
import { parseSecretsKey } from "@/server/crypto/secret-box";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { isPortFree } from "./port";
import { readOrCreateSecret } from "./secret-file";

/** A start-up failure with a message fit for one line on the console. */
export class StartupError extends Error {}

export interface Prepared {
  env: Env;
  databaseUrl: string;
  embedded: boolean;
  /** Variables the web process needs beyond the user's own (database URL, generated secrets). */
  childEnv: Record<string, string>;
  notices: string[];
  /** Seals switch credentials and backups; from SECRETS_KEY or generated into the data dir. */
  secretsKey: Buffer;
  stopDatabase(): Promise<void>;
}

/** Reads .env files the way Next does, then validates; a bad variable is a one-line StartupError. */
export function loadStartupEnv(dev: boolean): Env {
  nextEnv.loadEnvConfig(process.cwd(), dev, { info: () => {}, error: console.error });
  try {
    return getEnv();
  } catch (e) {
    throw new StartupError((e as Error).message);
  }
}

export async function prepare(opts: { dev: boolean; web: boolean; env?: Env }): Promise<Prepared> {
  const env = opts.env ?? loadStartupEnv(opts.dev);
  // next-auth marks its cookies secure only when it knows the public https URL; a guessed
  // http://localhost would leave production sessions on plain cookies.
  if (!opts.dev && opts.web && !env.NEXTAUTH_URL) {
    throw new StartupError("NEXTAUTH_URL must be set for `npm start`: the console's public URL (https://…), so session cookies are secure");
  }
  if (opts.web && !(await isPortFree(env.PORT, env.HOST))) {
    throw new StartupError(`port ${env.PORT} is already in use on ${env.HOST}: stop the program using it or set PORT`);
  }
  const dataDir = path.resolve(env.DATA_DIR);
  await mkdir(dataDir, { recursive: true });

  let databaseUrl: string;
  let stopDatabase = async () => {};
  if (env.DATABASE_URL) {
    databaseUrl = env.DATABASE_URL;
    await assertReachable(databaseUrl);
  } else {
    try {
      const pg = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_PG_PORT });
      databaseUrl = pg.url;
      stopDatabase = pg.stop;
    } catch (e) {
      throw new StartupError(`embedded Postgres failed to start: ${(e as Error).message}`);
    }
  }
  try {
    await migrateDatabase(databaseUrl);
  } catch (e) {
    await stopDatabase();
    throw new StartupError(`migrations failed on ${redactDatabaseUrl(databaseUrl)}: ${(e as Error).message}`);
  }

  const notices: string[] = [];
  const childEnv: Record<string, string> = { DATABASE_URL: databaseUrl };
  if (!env.NEXTAUTH_SECRET) childEnv.NEXTAUTH_SECRET = await readOrCreateSecret(path.join(dataDir, "nextauth-secret"), 32);
  if (!env.SECRETS_KEY) childEnv.SECRETS_KEY = Buffer.from(await readOrCreateSecret(path.join(dataDir, "secrets-key"), 32), "base64url").toString("base64");
  if (!env.NEXTAUTH_URL) childEnv.NEXTAUTH_URL = `http://localhost:${env.PORT}`;
  if (!env.ADMIN_PASSWORD && !env.OIDC_ISSUER) {
    const file = path.join(dataDir, "admin-password");
    childEnv.ADMIN_PASSWORD = await readOrCreateSecret(file, 18);
    notices.push(`bootstrap admin: ${env.ADMIN_EMAIL} / password in ${path.relative(process.cwd(), file)} (set ADMIN_PASSWORD to choose one)`);
  }
  const secretsKey = parseSecretsKey(env.SECRETS_KEY ?? childEnv.SECRETS_KEY!);
  return { env, databaseUrl, embedded: !env.DATABASE_URL, childEnv, notices, secretsKey, stopDatabase };
}

async function assertReachable(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: number }[]>`select current_setting('server_version_num')::int as v`;
    if (!row || row.v < 150000) throw new StartupError(`database at ${redactDatabaseUrl(url)} is PostgreSQL ${row?.v ?? "?"}; 15 or later is required`);
  } catch (e) {
    if (e instanceof StartupError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new StartupError(`database unreachable at ${redactDatabaseUrl(url)}: ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " ").trim());
  } finally {
    await sql.end({ timeout: 1 });
  }
}
