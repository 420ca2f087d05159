import { describe, expect, it } from "vitest";
import { createBootstrapAdmin } from "./bootstrap-admin";

describe("bootstrap admin", () => {
  const admin = createBootstrapAdmin("Admin@Example.test", "correct horse battery");
  it("accepts the configured email (any case) and password", async () => {
    expect(await admin.verify("admin@example.test", "correct horse battery")).toBe(true);
  });
  it("refuses a wrong password or a wrong email", async () => {
    expect(await admin.verify("admin@example.test", "correct horse batterY")).toBe(false);
    expect(await admin.verify("other@example.test", "correct horse battery")).toBe(false);
    expect(await admin.verify("", "")).toBe(false);
  });
  it("hashes attempts off the event loop: the console keeps answering during a flood of wrong passwords", async () => {
    let servedMeanwhile = false;
    const attempts = Array.from({ length: 8 }, (_, i) => admin.verify("admin@example.test", `wrong-${i}`));
    // Work the event loop would run next (another request) gets its turn before the hashes finish.
    setImmediate(() => (servedMeanwhile = true));
    const first = await Promise.race(attempts);
    expect(first).toBe(false);
    expect(servedMeanwhile).toBe(true);
    await Promise.all(attempts);
  });
});
