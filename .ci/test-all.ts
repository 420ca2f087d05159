// `npm test`: unit, integration and e2e in turn. Every suite runs; the last line counts the tests.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const out = path.resolve(".data/test-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

interface Suite {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** passed/failed counts from the runner's JSON report. */
  count(report: unknown): { passed: number; failed: number };
}

const vitestCount = (r: unknown) => {
  const v = r as { numPassedTests: number; numFailedTests: number };
  return { passed: v.numPassedTests, failed: v.numFailedTests };
};

const suites: Suite[] = [
  { name: "unit", args: ["test:unit", "--", "--reporter=default", "--reporter=json", `--outputFile=${out}/unit.json`], count: vitestCount },
  {
    name: "integration",
    args: ["test:integration", "--", "--reporter=default", "--reporter=json", `--outputFile=${out}/integration.json`],
    count: vitestCount,
  },
  {
    name: "e2e",
    args: ["test:e2e", "--", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/e2e.json` },
    count: (r) => {
      const s = (r as { stats: { expected: number; unexpected: number; flaky: number } }).stats;
      return { passed: s.expected, failed: s.unexpected + s.flaky };
    },
  },
];

const lines: string[] = [];
let passed = 0;
let failed = 0;
const started = Date.now();
for (const suite of suites) {
  const t0 = Date.now();
  const run = spawnSync("npm", ["run", "--silent", ...suite.args], { stdio: "inherit", env: { ...process.env, ...suite.env } });
  let counts = { passed: 0, failed: 0 };
  try {
    counts = suite.count(JSON.parse(readFileSync(`${out}/${suite.name}.json`, "utf8")));
  } catch {
    // No report: the runner died before writing one.
  }
  // A suite that exits non-zero with no failed test (a crash, a setup error) still counts as a failure.
  if (run.status !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  lines.push(`${suite.name} ${counts.passed} passed, ${counts.failed} failed (${Math.round((Date.now() - t0) / 1000)} s)`);
}
console.log(`\n${lines.join("; ")}; ${Math.round((Date.now() - started) / 1000)} s in all`);
console.log(`SUMMARY: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
