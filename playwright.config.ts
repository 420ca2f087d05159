import { defineConfig } from "@playwright/test";
import {
  BASE_URL as baseURL,
  E2E_ADMIN,
  E2E_EVENT_TOKEN,
  E2E_METRICS_TOKEN,
  E2E_DEMO_LAB_PORT,
  E2E_PORT as PORT,
  LAB_ISSUER as issuer,
  LAB_OIDC_PORT,
} from "./e2e/support/constants";
import { findChromium } from "./e2e/support/chromium";

// e2e runs the production build against a fresh embedded Postgres and the lab's OIDC provider,
// all on loopback. Test tooling, so it reads process.env directly.

// CHROMIUM_PATH, else a Chromium on PATH, else the one inside the @sparticuz/chromium npm package.
const chromium = await findChromium();
console.info(`e2e: Chromium from ${chromium.source}: ${chromium.path}`);

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium.path,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: "tsx lab/cli.ts",
      url: `http://127.0.0.1:${LAB_OIDC_PORT}/health`,
      env: { LAB_OIDC_PORT: String(LAB_OIDC_PORT), LAB_OIDC_REDIRECT_URIS: `${baseURL}/api/auth/callback/oidc` },
      reuseExistingServer: false,
      stdout: "pipe",
    },
    {
      // /api/health answers 503 until a worker has run a job, so "ready" means web, db and worker.
      command: "rm -rf .data/e2e && next build && tsx server/boot/launch.ts start",
      url: `${baseURL}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        PORT: String(PORT),
        HOST: "127.0.0.1",
        DATA_DIR: ".data/e2e",
        EMBEDDED_PG_PORT: "54349",
        NEXTAUTH_URL: baseURL,
        NEXTAUTH_SECRET: "e2e-only-secret-e2e-only-secret-0123456789",
        ADMIN_EMAIL: E2E_ADMIN.email,
        ADMIN_PASSWORD: E2E_ADMIN.password,
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: "sankofa-it",
        OIDC_CLIENT_SECRET: "lab-secret",
        OIDC_NAME: "Lab Keycloak",
        LOG_LEVEL: "warn",
        PORT_SECURITY_EVENT_API_BEARER_TOKEN: E2E_EVENT_TOKEN,
        METRICS_BEARER_TOKEN: E2E_METRICS_TOKEN,
        // The demo world (Tenantos, Proxmox, two switches) runs inside the app under test.
        DEMO_LAB: "on",
        DEMO_LAB_PORT: String(E2E_DEMO_LAB_PORT),
      },
    },
  ],
});
