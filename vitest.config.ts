import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          // CPU-bound and independent: both cores (vitest's default leaves one idle): ~45 s → ~31 s.
          maxWorkers: 2,
          include: ["lib/**/*.test.ts", "server/**/*.test.ts", "workers/**/*.test.ts", "lab/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          // Mostly waiting on Postgres, SSH and HTTP on loopback, so three files at once on two cores
          // (vitest's default is cores − 1): 442 s → ~270 s on this machine.
          maxWorkers: 3,
          include: ["**/*.integration.test.ts"],
          exclude: ["node_modules/**", ".data/**"],
          globalSetup: ["./server/testing/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
