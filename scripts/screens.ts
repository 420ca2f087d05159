// `npm run screens`: pictures of the console's main pages at 1440 and 390 px, written to
// docs/screens/<page>-<width>.png. It starts the demo world as the e2e suite does (production
// build, fresh embedded Postgres, DEMO_LAB=on) on ports of its own, signs in as the bootstrap admin,
// takes the pictures and stops everything it started. A tool, so it reads process.env directly.
//   --no-build    reuse the existing .next build
//   --url URL     take the pictures from a console already running there (signed in with
//                 SCREENS_ADMIN_EMAIL / SCREENS_ADMIN_PASSWORD); nothing is built or started
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { chromium as playwright, type Page } from "@playwright/test";
import { findChromium } from "../e2e/support/chromium";

const PORT = Number(process.env.SCREENS_PORT ?? 3210);
const urlFlag = process.argv.indexOf("--url");
const GIVEN_URL = urlFlag > 0 ? process.argv[urlFlag + 1] : undefined;
const BASE_URL = GIVEN_URL ?? `http://127.0.0.1:${PORT}`;
const OUT_DIR = path.resolve("docs/screens");
const DATA_DIR = ".data/screens";
const ADMIN = {
  email: process.env.SCREENS_ADMIN_EMAIL ?? "admin@screens.sankofa.test",
  password: process.env.SCREENS_ADMIN_PASSWORD ?? "screens-bootstrap-password",
};
const WIDTHS = (process.env.SCREENS_WIDTHS ?? "1440,390").split(",").map(Number);
// SCREENS_ONLY=ipam,switch: just those pictures.
const ONLY = process.env.SCREENS_ONLY?.split(",");
// A tall page is cut here: the picture shows the top of it, as a reader first sees it.
const MAX_HEIGHT = 3200;

/** Name → path: the navigation's pages plus a switch and an address, as a new user would open them. */
const PAGES: Array<{ name: string; path: string | ((ids: { switchId: number }) => string) }> = [
  { name: "dashboard", path: "/it" },
  { name: "ipam", path: "/it/ipam" },
  { name: "address", path: "/it/addresses/10.13.0.21" },
  { name: "vlans", path: "/it/vlans" },
  { name: "drift", path: "/it/drift" },
  { name: "hosts", path: "/it/hosts" },
  { name: "proxmox", path: "/it/proxmox?server=201" },
  { name: "switches", path: "/it/switches" },
  { name: "switch", path: ({ switchId }) => `/it/switches/${switchId}` },
  { name: "port-security", path: "/it/port-security" },
  { name: "virtual-macs", path: "/it/virtual-macs" },
  { name: "ports", path: "/it/ports" },
  { name: "why", path: "/it/why?ip=192.168.11.212" },
  { name: "provisioning", path: "/it/provisioning" },
  { name: "approvals", path: "/it/approvals" },
  { name: "jobs", path: "/it/jobs" },
  { name: "billing", path: "/it/billing" },
  { name: "licenses", path: "/it/licenses" },
  { name: "audit", path: "/it/audit" },
  { name: "settings", path: "/it/settings" },
];

function run(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"], detached: true });
}

async function waitForExit(child: ChildProcess): Promise<void> {
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${child.spawnargs.join(" ")} exited with ${code}`);
}

/** /api/health answers 503 until a worker has run a job: "ready" means web, db and worker. */
async function waitForHealth(server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${BASE_URL}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error("the server did not become healthy in 5 minutes");
}

async function signIn(page: Page): Promise<void> {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: ADMIN.email, password: ADMIN.password, callbackUrl: "/it", json: "true" },
  });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
}

async function findSwitchId(page: Page): Promise<number> {
  await page.goto("/it/switches");
  const href = await page.locator('a[href^="/it/switches/"]').first().getAttribute("href");
  return Number(/\/it\/switches\/(\d+)/.exec(href ?? "")?.[1]);
}

/** Builds and starts the demo world; returns how to stop it. */
async function startDemoWorld(): Promise<() => void> {
  if (!process.argv.includes("--no-build")) await waitForExit(run("npx", ["next", "build"]));
  await rm(DATA_DIR, { recursive: true, force: true });
  const server = run("npx", ["tsx", "server/boot/launch.ts", "start"], {
    PORT: String(PORT),
    HOST: "127.0.0.1",
    DATA_DIR,
    EMBEDDED_PG_PORT: process.env.SCREENS_PG_PORT ?? "54369",
    NEXTAUTH_URL: BASE_URL,
    NEXTAUTH_SECRET: "screens-only-secret-screens-only-secret-0123",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "warn",
    DEMO_LAB: "on",
    DEMO_LAB_PORT: process.env.SCREENS_DEMO_LAB_PORT ?? "3971",
  });
  const stop = () => {
    // The launcher and its children (web, worker, Postgres) share the process group we made.
    if (server.exitCode === null && server.pid) process.kill(-server.pid, "SIGTERM");
  };
  process.on("SIGINT", () => (stop(), process.exit(130)));
  try {
    await waitForHealth(server);
  } catch (e) {
    stop();
    throw e;
  }
  return stop;
}

async function main(): Promise<void> {
  const stop = GIVEN_URL ? () => {} : await startDemoWorld();
  const { path: executablePath } = await findChromium();
  const browser = await playwright.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
  try {
    await mkdir(OUT_DIR, { recursive: true });
    for (const width of WIDTHS) {
      const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width, height: width === 390 ? 844 : 900 }, colorScheme: "light" });
      const page = await context.newPage();
      await signIn(page);
      const switchId = await findSwitchId(page);
      for (const p of PAGES.filter((x) => !ONLY || ONLY.includes(x.name))) {
        const url = typeof p.path === "string" ? p.path : p.path({ switchId });
        await page.goto(url, { timeout: 240_000 });
        // A page that polls (Jobs refreshes itself) is never network-idle: after 15 s the picture is taken as it stands.
        await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => {});
        // A development server's own indicator is not the console.
        await page.addStyleTag({ content: "nextjs-portal { display: none !important; }" });
        const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), MAX_HEIGHT);
        const file = path.join(OUT_DIR, `${p.name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height } });
        console.info(`screens: ${path.relative(process.cwd(), file)} (${url})`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    stop();
  }
}

await main();
