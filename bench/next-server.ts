// The console as deployed (`npm run build && npm start`): the launcher and Next's production
// server, on loopback, against the bench database, with the worker elsewhere (the bench's own,
// which has the lab panel). Used by benches that measure a door through the real framework.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export async function startDeployedServer(opts: {
  databaseUrl: string;
  secretsKey: Buffer;
  env: Record<string, string>;
}): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  if (!existsSync(path.resolve(".next/BUILD_ID"))) throw new Error("bench: no production build: run `npm run build` first");
  const port = await freePort();
  const dataDir = path.resolve(".data/bench-next");
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, ["--import", "tsx", "server/boot/launch.ts", "start"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: opts.databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      SECRETS_KEY: opts.secretsKey.toString("base64"),
      WORKER_IN_PROCESS: "false",
      DEMO_LAB: "off",
      LOG_LEVEL: "warn",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench: the server exited with ${child.exitCode}`);
    const res = await fetch(`${url}/api/health`).catch(() => undefined);
    if (res) break;
    if (Date.now() > deadline) throw new Error("bench: the deployed server did not answer within 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await gone;
    },
  };
}
