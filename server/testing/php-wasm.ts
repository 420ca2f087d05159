// `php` for the tests on a machine without PHP: PHP 8.3 compiled to WebAssembly (@php-wasm/node,
// from npm), run as a command line like php-cli: `node --import tsx server/testing/php-wasm.ts -l f.php`.
// The host's files are visible at their own paths, and curl reaches loopback as real PHP's does.
// Only the tests use it; Tenantos runs the listener on its own PHP.
import { loadNodeRuntime, useHostFilesystem } from "@php-wasm/node";
import { PHP } from "@php-wasm/universal";

export const PHP_WASM_VERSION = "8.3";

const php = new PHP(
  await loadNodeRuntime(PHP_WASM_VERSION, {
    // One process per run, so a fixed process id cannot collide with another's file locks.
    emscriptenOptions: { processId: 1, ENV: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)) },
  }),
);
useHostFilesystem(php);

const run = await php.cli(["php", ...process.argv.slice(2)]);
const copy = (from: ReadableStream<Uint8Array>, to: NodeJS.WriteStream) => from.pipeTo(new WritableStream({ write: (chunk) => void to.write(chunk) }));
const output = Promise.all([copy(run.stdout, process.stdout), copy(run.stderr, process.stderr)]);
let code: number;
try {
  code = await run.exitCode;
} catch (e) {
  // PHP's exit() and fatal errors surface as Emscripten's ExitStatus carrying the status.
  code = typeof (e as { status?: unknown }).status === "number" ? (e as { status: number }).status : 255;
}
await output;
process.exit(code);
