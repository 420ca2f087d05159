import { describe, expect, it } from "vitest";
import { listJobs } from "@/server/services/platform/jobs";
import { createTestDatabase } from "@/server/testing/database";
import { DEFAULT_MAX_ATTEMPTS, enqueueJob } from "./enqueue";

const { db } = await createTestDatabase();

describe("enqueueJob", () => {
  it("adds a job with a few attempts, not graphile's 25", async () => {
    const id = await enqueueJob(db, "heartbeat", { reason: "startup" }, { queueName: "switch:test" });
    const [job] = (await listJobs(db, { limit: 10 })).filter((j) => j.id === id);
    expect(job).toMatchObject({ task: "heartbeat", queue: "switch:test", state: "queued", maxAttempts: DEFAULT_MAX_ATTEMPTS });
  });

  it("refuses a payload its task would refuse", async () => {
    await expect(enqueueJob(db, "heartbeat", { reason: "bogus" } as never)).rejects.toThrow();
  });

  it("exists only if the transaction that asked for it commits", async () => {
    const before = (await listJobs(db, { limit: 100 })).length;
    await expect(
      db.transaction(async (tx) => {
        await enqueueJob(tx, "heartbeat", { reason: "startup" });
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(await listJobs(db, { limit: 100 })).toHaveLength(before);
  });

  it("turns a burst with one key into one job", async () => {
    const a = await enqueueJob(db, "heartbeat", { reason: "startup" }, { jobKey: "burst" });
    const b = await enqueueJob(db, "heartbeat", { reason: "startup" }, { jobKey: "burst" });
    expect(b).toBe(a);
  });
});
