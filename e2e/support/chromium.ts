// Which Chromium the e2e suite drives, so `npm test` needs nothing but Node:
// 1. CHROMIUM_PATH when set (a system Chromium, e.g. Debian's /usr/bin/chromium);
// 2. else a Chromium on PATH (chromium, chromium-browser, google-chrome);
// 3. else the headless Chromium that @sparticuz/chromium ships inside its npm package (compressed),
//    unpacked on first use to the OS temp directory. No browser is ever downloaded.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const ON_PATH = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

function findOnPath(): string | undefined {
  for (const name of ON_PATH) {
    try {
      const found = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; source: string }> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return { path: env.CHROMIUM_PATH, source: "CHROMIUM_PATH" };
  }
  const onPath = findOnPath();
  if (onPath) return { path: onPath, source: "PATH" };
  const { default: chromium } = await import("@sparticuz/chromium");
  return { path: await chromium.executablePath(), source: "@sparticuz/chromium (npm)" };
}
