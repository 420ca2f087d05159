// `npm test`: unit, integration and e2e in turn; every suite runs, then one summary line.
import { spawnSync } from "node:child_process";

const suites = ["test:unit", "test:integration", "test:e2e"] as const;
const results: string[] = [];
let failed = 0;
const started = Date.now();

for (const suite of suites) {
  const t0 = Date.now();
  const run = spawnSync("npm", ["run", "--silent", suite], { stdio: "inherit" });
  const ok = run.status === 0;
  if (!ok) failed++;
  results.push(`${suite.replace("test:", "")} ${ok ? "passed" : "FAILED"} (${Math.round((Date.now() - t0) / 1000)} s)`);
}

const total = Math.round((Date.now() - started) / 1000);
console.log(`\nSUMMARY: ${results.join(", ")}: ${suites.length - failed}/${suites.length} suites passed in ${total} s`);
process.exit(failed === 0 ? 0 : 1);
