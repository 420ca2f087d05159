// Issue 30: the web process never outlives its launcher. A launcher killed with SIGKILL (nothing
// of it runs to stop its child) must not leave its web process behind holding the port.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("the launcher's web process", () => {
  it("exits by itself when the launcher is SIGKILLed", async () => {
    const launcher = spawn(process.execPath, ["--import", "tsx", "server/testing/launcher-stand-in.ts"], { stdio: ["ignore", "pipe", "inherit"] });
    const webPid = await new Promise<number>((resolve, reject) => {
      launcher.once("exit", (code) => reject(new Error(`launcher exited with ${code}`)));
      launcher.stdout!.on("data", (d: Buffer) => {
        const m = /web pid (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
    });
    expect(isAlive(webPid)).toBe(true);
    const gone = new Promise((r) => launcher.once("exit", r));
    launcher.kill("SIGKILL");
    await gone;
    await expect.poll(() => isAlive(webPid), { timeout: 10_000, interval: 100 }).toBe(false);
  });
});
