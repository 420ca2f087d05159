import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/server/boot/embedded-postgres";
import { migrateDatabase } from "@/server/db/migrate";
import { getEnv } from "@/server/env";

import { TEMPLATE_DB } from "./constants";

declare module "vitest" {
  export interface ProvidedContext {
    /** A server URL (any database); test files create their own database from the template. */
    testServerUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * One Postgres for the run (embedded, or TEST_DATABASE_URL), one migrated template database,
 * and each test file gets a fresh copy of it: isolated, and fast to make.
 */
export async function setup(project: TestProject): Promise<void> {
  const env = getEnv();
  let serverUrl = env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.resolve(env.DATA_DIR, "test"), port: env.EMBEDDED_PG_PORT + 10 });
    serverUrl = embedded.url;
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const stale = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'sankofa_test_%'`;
    for (const { datname } of stale) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(withDatabase(serverUrl, TEMPLATE_DB));
  project.provide("testServerUrl", serverUrl);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
