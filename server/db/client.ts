import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/drizzle/schema";
import { requireDatabaseUrl } from "@/server/env";

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; services accept `Db | Tx` where either works. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function createDatabase(url: string, opts: { max?: number } = {}): Database {
  const sql = postgres(url, { max: opts.max ?? 10, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

// Next's dev server re-evaluates modules on change; keep one pool per process.
const globalForDb = globalThis as unknown as { sankofaDb?: Database };

export function getDatabase(): Database {
  globalForDb.sankofaDb ??= createDatabase(requireDatabaseUrl());
  return globalForDb.sankofaDb;
}
