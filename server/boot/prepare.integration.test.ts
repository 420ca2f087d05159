import { mkdtemp, readFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";
import { createTestDatabase } from "@/server/testing/database";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { prepare } from "./prepare";

const tempDir = () => mkdtemp(path.join(os.tmpdir(), "sankofa-boot-"));

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

describe("start-up", () => {
  it("says the database is unreachable, without its password", async () => {
    const port = await closedPort();
    const env = parseEnv({ DATABASE_URL: `postgres://ops:hunter2secret@127.0.0.1:${port}/sankofa`, DATA_DIR: await tempDir() });
    const error = await prepare({ dev: true, web: false, env }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(new RegExp(`^database unreachable at postgres://ops:\\*\\*\\*@127\\.0\\.0\\.1:${port}/sankofa: ECONNREFUSED`));
    expect((error as Error).message).not.toContain("hunter2secret");
  });

  it("refuses a production start without NEXTAUTH_URL (its cookies would not be marked secure), in one line", async () => {
    const env = parseEnv({ DATA_DIR: await tempDir() });
    await expect(prepare({ dev: false, web: true, env })).rejects.toThrow(/^NEXTAUTH_URL must be set for `npm start`/);
  });

  it("says the port is in use", async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const { port } = srv.address() as net.AddressInfo;
    try {
      const env = parseEnv({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: await tempDir() });
      await expect(prepare({ dev: true, web: true, env })).rejects.toThrow(`port ${port} is already in use`);
    } finally {
      srv.close();
    }
  });

  it("migrates an external database idempotently and keeps generated secrets across restarts", async () => {
    const { url } = await createTestDatabase();
    const env = parseEnv({ DATABASE_URL: url, DATA_DIR: await tempDir() });
    const first = await prepare({ dev: true, web: false, env });
    const second = await prepare({ dev: true, web: false, env });
    expect(second.childEnv.NEXTAUTH_SECRET).toBe(first.childEnv.NEXTAUTH_SECRET);
    expect(second.childEnv.ADMIN_PASSWORD).toBe(first.childEnv.ADMIN_PASSWORD);
    expect(await readFile(path.join(env.DATA_DIR, "admin-password"), "utf8")).toContain(first.childEnv.ADMIN_PASSWORD);
    expect(first.notices.join()).toContain("bootstrap admin: admin@localhost");
  });

  it("runs an embedded Postgres whose data survives a restart", async () => {
    const dataDir = await tempDir();
    const port = await closedPort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    const sql1 = postgres(first.url, { max: 1, onnotice: () => {} });
    await sql1`create table kept (v text)`;
    await sql1`insert into kept values ('still here')`;
    await sql1.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port });
    const sql2 = postgres(second.url, { max: 1, onnotice: () => {} });
    try {
      expect(await sql2`select v from kept`).toEqual([{ v: "still here" }]);
    } finally {
      await sql2.end();
      await second.stop();
    }
  }, 60_000);
});
