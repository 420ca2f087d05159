// The console as deployed (`npm run build && npm start`): the launcher and Next's production
// server, on loopback, against the bench database, with the worker elsewhere (the bench's own,
// which has the lab panel). Used by benches that measure a door through the real framework.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
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
  const deadline = Date.now() + 180_000; // a loaded shared machine starts Next slowly
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bench: the server exited with ${child.exitCode}`);
    const res = await fetch(`${url}/api/health`).catch(() => undefined);
    if (res) break;
    if (Date.now() > deadline) {
      // Not left running: the launcher would stay behind the failed bench.
      child.kill("SIGTERM");
      throw new Error("bench: the deployed server did not answer within 180 s");
    }
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

/** The server's resident set now (kB → bytes), from /proc (Linux). */
export function readRss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * The process that serves HTTP: `npm start`'s launcher runs Next's server (and the doors) as its
 * child, so the launcher's own RSS says nothing about the export. Linux's /proc children list.
 */
export function findWebPid(launcherPid: number): number {
  const children = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  if (children.length !== 1) throw new Error(`bench: expected one web process under the launcher, found ${children.length}`);
  return children[0]!;
}

/** Signs in through next-auth's credentials callback as a browser would; returns the cookie header. */
export async function signIn(base: string, admin: { email: string; password: string }): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, ...v] = pair!.split("=");
      jar.set(k!, v.join("="));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email: admin.email, password: admin.password, callbackUrl: "/it", json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`bench: sign-in failed (${res.status})`);
  return cookie();
}
