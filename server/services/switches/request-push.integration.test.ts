import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { switchDirtyPorts } from "@/drizzle/schema";
import { jobKeys } from "@/lib/jobs/keys";
import { createTestDatabase } from "@/server/testing/database";
import { createSwitch, requestPortsPush, requestSwitchPush } from "./switches";

const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
let n = 0;

/** A switch on paper, its first-contact run dropped so each test sees only the runs it asks for. */
async function paperSwitch() {
  const row = await createSwitch(db, secretsKey, admin, { name: `rp-${process.pid}-${++n}`, host: "192.0.2.1", port: 22, username: "ops", password: "pw" });
  await db.execute(sql`select graphile_worker.remove_job(${jobKeys.reconcileSwitch(row.id)})`);
  return row;
}

const reconcileJobs = (switchId: number) =>
  db.execute<{ id: string; trigger: string }>(
    sql`select id, payload->>'trigger' as trigger from graphile_worker._private_jobs where key = ${jobKeys.reconcileSwitch(switchId)}`,
  );
const dirtyPorts = async (switchId: number) =>
  (await db.select({ interface: switchDirtyPorts.interface }).from(switchDirtyPorts).where(eq(switchDirtyPorts.switchId, switchId)))
    .map((r) => r.interface)
    .sort();

describe("asking for a push", () => {
  it("marks every port and queues one run per switch, answering each switch's job id", async () => {
    const [a, b, idle] = [await paperSwitch(), await paperSwitch(), await paperSwitch()];
    const ports = [
      { switchId: a.id, interface: "ge-0/0/1.0" },
      { switchId: b.id, interface: "ge-0/0/7.0" },
      { switchId: a.id, interface: "ge-0/0/2.0" },
      { switchId: a.id, interface: "ge-0/0/1.0" },
    ];
    const jobIds = await db.transaction((tx) => requestPortsPush(tx, ports, "test:ports"));
    expect([...jobIds.keys()]).toEqual([a.id, b.id]);
    for (const sw of [a, b]) {
      const jobs = await reconcileJobs(sw.id);
      expect(jobs).toEqual([{ id: String(jobIds.get(sw.id)), trigger: "test:ports" }]);
    }
    expect(await dirtyPorts(a.id)).toEqual(["ge-0/0/1.0", "ge-0/0/2.0"]);
    expect(await dirtyPorts(b.id)).toEqual(["ge-0/0/7.0"]);
    // A switch none of whose ports was named is left alone.
    expect(await reconcileJobs(idle.id)).toEqual([]);
    expect(await dirtyPorts(idle.id)).toEqual([]);
  });

  it("queues a switch's run even with no port to mark (the run reads the switch again)", async () => {
    const sw = await paperSwitch();
    const jobId = await db.transaction((tx) => requestSwitchPush(tx, sw.id, [], "test:none"));
    expect(await reconcileJobs(sw.id)).toEqual([{ id: String(jobId), trigger: "test:none" }]);
    expect(await dirtyPorts(sw.id)).toEqual([]);
  });
});
