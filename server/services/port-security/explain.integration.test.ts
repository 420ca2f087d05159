import { randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { switchPushes } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { startDemoWorld, type DemoWorld } from "@/server/testing/demo-world";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { explainIpBinding } from "./explain";
import { pushServerPortNow } from "./preview";

const { db, url } = await createTestDatabase();
const key = randomBytes(32);
let world: DemoWorld;

beforeAll(async () => {
  world = await startDemoWorld({ db, url, secretsKey: key, prefix: "why" });
});
afterAll(() => world?.close());

describe("why is (or isn't) this IP bound", () => {
  it("shows the rule that leaves an additional IP out (no VMAC), through Tenantos, routing and the switch", async () => {
    const a = await explainIpBinding(db, world.panel, key, "10.13.0.32");
    expect(a.verdict).toBe("skipped");
    expect(a.summary).toContain("additional IP without an active VMAC");
    expect(a.steps.find((s) => s.step === "tenantos")?.lines[0]).toMatch(/assigned to server 202/);
    expect(a.steps.find((s) => s.step === "routing")?.lines[0]).toMatch(/ge-0\/0\/6\.0/);
  });

  it("says pending before the port's first push, and bound after it, naming the push", async () => {
    expect((await explainIpBinding(db, world.panel, key, "10.13.0.31")).verdict).toBe("pending");
    await pushServerPortNow(db, world.panel, { id: "admin@test.sankofa" }, 202);
    const committed = async () =>
      (await db.select().from(switchPushes).where(eq(switchPushes.trigger, "console:server:202")).orderBy(desc(switchPushes.id)))[0]?.status;
    await expect.poll(committed, { timeout: 15_000 }).toBe("committed");
    // The page reads the latest backup: the push takes one after committing.
    await expect.poll(async () => (await explainIpBinding(db, world.panel, key, "10.13.0.31")).verdict, { timeout: 15_000 }).toBe("bound");
    const a = await explainIpBinding(db, world.panel, key, "10.13.0.31");
    expect(a.steps.find((s) => s.step === "push")?.lines[0]).toMatch(/^committed/);
    expect(a.steps.find((s) => s.step === "switch")?.lines.join(" ")).toContain("aa:bb:cc:02:02:00");
  });

  it("says an IP no server holds is not assigned, and refuses what is not an IP, through the console's API", async () => {
    const viewer = callerFor(db, buildViewer(), { secretsKey: key });
    expect((await explainIpBinding(db, world.panel, key, "10.13.0.250")).verdict).toBe("not-assigned");
    await expect(viewer.portSecurity.why({ ip: "10.13.0" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("not an IPv4") });
  });
});
