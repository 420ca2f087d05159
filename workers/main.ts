// `npm run worker`: the job runner on its own, for more workers against one Postgres.
import { createDatabase } from "@/server/db/client";
import { prepare, StartupError } from "@/server/boot/prepare";
import { startWorkerRunner } from "./runner";
import { composeTaskDeps } from "./task-deps";

async function main(): Promise<void> {
  const prepared = await prepare({ dev: false, web: false });
  const database = createDatabase(prepared.databaseUrl, { max: prepared.env.WORKER_CONCURRENCY + 2 });
  const runner = await startWorkerRunner({
    connectionString: prepared.databaseUrl,
    deps: composeTaskDeps(database.db, prepared.env, prepared.secretsKey),
    concurrency: prepared.env.WORKER_CONCURRENCY,
    deadWorkerAfterS: prepared.env.WORKER_DEAD_AFTER_SECONDS,
  });
  console.log(`sankofa-worker: running ${prepared.env.WORKER_CONCURRENCY} concurrent jobs`);
  const stop = async () => {
    await runner.stop();
    await database.close();
    await prepared.stopDatabase();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // Not the design (the runner rides out database outages itself): a last resort, logged, and exit
  // 1 for the supervisor to restart us (README, production).
  const fatal = (e: unknown) => {
    console.error(`sankofa-worker: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
}

main().catch((e: unknown) => {
  console.error(`sankofa-worker: ${e instanceof StartupError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
