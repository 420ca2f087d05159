import { execFileSync } from "node:child_process";
import path from "node:path";

export interface PhpCommand {
  command: string;
  /** Arguments that come before PHP's own. */
  prefix: string[];
  /** What runs, for a test's output: "php on PATH" or "PHP 8.3 (php-wasm, npm)". */
  describe: string;
}

/**
 * The PHP the listener tests run: `php` from PATH when it has curl (as Tenantos's PHP has), else
 * PHP compiled to WebAssembly from npm (`server/testing/php-wasm.ts`), so `npm test` needs nothing
 * but Node. `PHP_BINARY=wasm` forces the npm one; `PHP_BINARY=/path/php` a given binary.
 */
export function resolvePhp(env: NodeJS.ProcessEnv = process.env): PhpCommand {
  const wanted = env.PHP_BINARY;
  const wasm: PhpCommand = {
    command: process.execPath,
    prefix: ["--import", "tsx", path.resolve(import.meta.dirname, "php-wasm.ts")],
    describe: "PHP 8.3 (php-wasm, npm)",
  };
  if (wanted === "wasm") return wasm;
  const candidate = wanted || "php";
  try {
    execFileSync(candidate, ["-r", 'exit(function_exists("curl_init") ? 0 : 3);'], { stdio: "ignore", timeout: 10_000 });
    return { command: candidate, prefix: [], describe: `${candidate} (with curl)` };
  } catch (e) {
    if (wanted) throw new Error(`PHP_BINARY=${wanted} does not run PHP with curl`, { cause: e });
    return wasm;
  }
}
