import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { deleteStatement } from "@/lab/junos/config-tree";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { switchDirtyPorts, switches } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { silentLogger, startWorkerRunner } from "@/workers/runner";
import { startApplyAll, getLatestApplyAll } from "./apply-all";
import { createSwitch, setPortBindings } from "./switches";

const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };

async function approvedLabSwitch(i: number): Promise<{ sw: LabSwitch; id: number }> {
  const sw = await startLabSwitch({ name: `aa-${process.pid}-${i}`, dialect: "non-els", timeScale: 60 });
  afterAll(() => sw.close());
  const row = await createSwitch(db, secretsKey, admin, { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
  await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
  return { sw, id: row.id };
}

describe("Apply All", () => {
  it("re-pushes every switch, repairs one changed by hand, joins a second start, and reports progress", async () => {
    const a = await approvedLabSwitch(1);
    const b = await approvedLabSwitch(2);
    for (const { id } of [a, b]) {
      for (const p of [1, 2])
        await setPortBindings(db, admin, {
          switchId: id,
          interface: `ge-0/0/${p}`,
          bindings: [{ ip: `10.0.${id}.${p}`, mac: `02:00:00:00:${id.toString(16).padStart(2, "0")}:0${p}`, vlan: "VLAN.13" }],
        });
    }
    const runner = await startWorkerRunner({
      connectionString: url,
      deps: { db, secretsKey, openJunosSession, confirmMinutes: 1 },
      concurrency: 4,
      logger: silentLogger,
    });
    try {
      const ports = (sw: LabSwitch) => parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els").ports;
      await expect.poll(() => ports(a.sw).size + ports(b.sw).size, { timeout: 15_000 }).toBe(4);
      // The switch holds the bindings after `commit confirmed`; the run ends (dirty ports cleared)
      // only after the final `commit`, so wait for that before counting commits.
      await expect.poll(async () => (await db.select().from(switchDirtyPorts)).length, { timeout: 15_000 }).toBe(0);

      // Someone removes a binding on the switch by hand.
      deleteStatement(b.sw.state.active, ["ethernet-switching-options", "secure-access-port", "interface", "ge-0/0/2.0", "static-ip"]);
      expect(ports(b.sw).size).toBe(1);
      const commitsOnA = a.sw.state.commits.length;

      const first = await startApplyAll(db, admin);
      const second = await startApplyAll(db, admin);
      expect(first).toMatchObject({ isJoined: false, total: 2 });
      expect(second).toMatchObject({ isJoined: true, run: { id: first.run.id } });

      await expect.poll(async () => (await getLatestApplyAll(db))?.isFinished, { timeout: 15_000 }).toBe(true);
      expect(await getLatestApplyAll(db)).toMatchObject({ done: 2, failed: 0, total: 2 });
      expect(ports(b.sw).size).toBe(2);
      // A switch already right is read, not written.
      expect(a.sw.state.commits.length).toBe(commitsOnA);
    } finally {
      await runner.stop();
    }
  }, 40_000);
});
