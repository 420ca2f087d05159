import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const EXIT_WITH_PARENT = pathToFileURL(path.resolve(import.meta.dirname, "exit-with-parent.mjs")).href;

/**
 * The launcher's web process (`next dev`, or server/boot/web-server.ts): node with `args`, made to
 * exit when this process is gone, however it went (exit-with-parent.mjs).
 */
export function spawnWebProcess(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", EXIT_WITH_PARENT, ...args], {
    stdio: "inherit",
    env: { ...env, SANKOFA_LAUNCHER_PID: String(process.pid) },
  });
}
