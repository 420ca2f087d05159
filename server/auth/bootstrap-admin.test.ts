import { describe, expect, it } from "vitest";
import { createBootstrapAdmin } from "./bootstrap-admin";

describe("bootstrap admin", () => {
  const admin = createBootstrapAdmin("Admin@Example.test", "correct horse battery");
  it("accepts the configured email (any case) and password", () => {
    expect(admin.verify("admin@example.test", "correct horse battery")).toBe(true);
  });
  it("refuses a wrong password or a wrong email", () => {
    expect(admin.verify("admin@example.test", "correct horse batterY")).toBe(false);
    expect(admin.verify("other@example.test", "correct horse battery")).toBe(false);
    expect(admin.verify("", "")).toBe(false);
  });
});
