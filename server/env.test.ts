import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("environment", () => {
  it("fills defaults for a bare machine", () => {
    expect(parseEnv({})).toMatchObject({ PORT: 3000, ADMIN_EMAIL: "admin@localhost", WORKER_IN_PROCESS: true });
  });

  it("names every bad variable in one line", () => {
    let message = "";
    try {
      parseEnv({ PORT: "eighty", DATABASE_URL: "mysql://x", ADMIN_PASSWORD: "short" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^invalid environment: /);
    expect(message).toContain("PORT");
    expect(message).toContain("DATABASE_URL: must be a postgres:// URL");
    expect(message).toContain("ADMIN_PASSWORD: must be at least 12 characters");
    expect(message).not.toContain("\n");
  });

  it("wants the OIDC settings together", () => {
    expect(() => parseEnv({ OIDC_ISSUER: "https://kc.example/realms/x" })).toThrow("must be set together");
  });

  it("reads WORKER_IN_PROCESS=false", () => {
    expect(parseEnv({ WORKER_IN_PROCESS: "false" }).WORKER_IN_PROCESS).toBe(false);
  });
});
