import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations } from "graphile-worker";
import { createDatabase } from "./client";

// Any number of web and worker processes may start at once; one migrates, the others wait.
const MIGRATION_LOCK = 7_410_325_118;

export const migrationsFolder = path.resolve(process.cwd(), "drizzle/migrations");

export async function migrateDatabase(url: string): Promise<void> {
  const { db, sql, close } = createDatabase(url, { max: 1 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(db, { migrationsFolder });
      await runMigrations({ connectionString: url });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await close();
  }
}
