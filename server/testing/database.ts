import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { createDatabase, type Database } from "@/server/db/client";

import { TEMPLATE_DB } from "./constants";

/**
 * A fresh, migrated database for this test file, dropped when the file ends. Call at module
 * top level of an *.integration.test.ts file.
 */
export async function createTestDatabase(): Promise<Database & { url: string }> {
  const serverUrl = inject("testServerUrl");
  const name = `sankofa_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const database = createDatabase(u.toString(), { max: 5 });
  afterAll(async () => {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { ...database, url: u.toString() };
}
