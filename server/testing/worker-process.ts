import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * `npm run worker` as a real child process on the test's database: a second worker beside the
 * test's own, or one to kill with SIGKILL. Resolves once it says it is running.
 */
export async function startWorkerProcess(databaseUrl: string, secretsKey: Buffer, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SECRETS_KEY: secretsKey.toString("base64"),
      DATA_DIR: await mkdtemp(path.join(os.tmpdir(), "sankofa-worker-")),
      WORKER_CONCURRENCY: "4",
      LOG_LEVEL: "error",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker process exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("sankofa-worker: running") && resolve());
  });
  return child;
}

/** Stops a child worker and waits for it to be gone. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await gone;
}
