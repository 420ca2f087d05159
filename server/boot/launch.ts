// `npm run dev` / `npm start`: environment, database (embedded when DATABASE_URL is unset),
// migrations, the worker (in this process unless WORKER_IN_PROCESS=false), then Next.js.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { startDemoIfWanted } from "./demo";
import { createDatabase } from "@/server/db/client";
import { startWorkerRunner, type WorkerRunner } from "@/workers/runner";
import { composeTaskDeps } from "@/workers/task-deps";
import { prepare, StartupError } from "./prepare";
import { spawnWebProcess } from "./web-process";

const arg = process.argv[2];
if (arg !== "dev" && arg !== "start") {
  console.error("usage: launch.ts dev|start");
  process.exit(2);
}
const mode: "dev" | "start" = arg;

async function main(): Promise<void> {
  const dev = mode === "dev";
  if (!dev && !existsSync(path.resolve(".next/BUILD_ID"))) {
    throw new StartupError("no production build found: run `npm run build` first");
  }
  const prepared = await prepare({ dev, web: true });
  const { env } = prepared;
  const demoDb = createDatabase(prepared.databaseUrl, { max: 2 });
  // A demo that cannot start (a port taken) must not keep the console from starting.
  const demo = await startDemoIfWanted(demoDb.db, env, prepared.secretsKey, dev)
    .catch((e: Error) => void prepared.notices.push(`demo lab not started: ${e.message}`))
    .finally(() => demoDb.close());
  if (demo) prepared.notices.push(demo.notice);
  let worker: WorkerRunner | undefined;
  const workerDb = env.WORKER_IN_PROCESS ? createDatabase(prepared.databaseUrl, { max: env.WORKER_CONCURRENCY + 2 }) : undefined;
  if (workerDb) {
    worker = await startWorkerRunner({
      connectionString: prepared.databaseUrl,
      deps: composeTaskDeps(workerDb.db, env, prepared.secretsKey),
      concurrency: env.WORKER_CONCURRENCY,
      deadWorkerAfterS: env.WORKER_DEAD_AFTER_SECONDS,
    });
  }

  // Production: Next's server with the event doors in front of its router (server/boot/web-server.ts);
  // development: `next dev` as it is.
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const args = dev ? [nextBin, "dev", "-p", String(env.PORT), "-H", env.HOST] : ["--import", "tsx", "server/boot/web-server.ts", String(env.PORT), env.HOST];
  const child: ChildProcess = spawnWebProcess(args, {
    NEXT_TELEMETRY_DISABLED: "1",
    ...process.env,
    ...prepared.childEnv,
    ...(dev ? {} : { NODE_ENV: "production" }),
  });

  const where = prepared.embedded ? `embedded Postgres in ${env.DATA_DIR}/pg (port ${env.EMBEDDED_PG_PORT})` : "DATABASE_URL";
  console.log(`sankofa: database ready (${where}); worker ${worker ? "in-process" : "external (npm run worker)"}`);
  for (const n of prepared.notices) console.log(`sankofa: ${n}`);
  console.log(`sankofa: console at ${prepared.childEnv.NEXTAUTH_URL ?? env.NEXTAUTH_URL}/it`);

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) child.kill("SIGTERM");
    await worker?.stop().catch(() => {});
    await workerDb?.close().catch(() => {});
    await demo?.stop().catch(() => {});
    if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
    await prepared.stopDatabase().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  child.on("exit", (code) => void shutdown(code ?? 1));
  // Nothing is meant to reach here (the worker rides out database outages itself); if something
  // does, stop in order, web process included, and exit 1 for the supervisor to restart us (README).
  const fatal = (e: unknown) => {
    console.error(`sankofa: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    void shutdown(1);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
}

main().catch((e: unknown) => {
  const message = e instanceof StartupError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  console.error(`sankofa: ${message}`);
  process.exit(1);
});
