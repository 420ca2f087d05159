import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { deleteStatement, setStatement } from "@/lab/junos/config-tree";
import { startLabSwitch } from "@/lab/junos/ssh-switch";
import { switches } from "@/drizzle/schema";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { countSwitchAlerts } from "./alerts";
import { auditSwitchDrift } from "./drift";
import { reconcileSwitch } from "./reconcile";
import { listSwitchOverview } from "./queries";
import { createSwitch, setPortBindings } from "./switches";

const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);
const deps = { db, secretsKey, openSession: openJunosSession, confirmMinutes: 1 };
const admin = { id: "admin@test.sankofa" };

describe("switch drift audit", () => {
  it("reports what the switch holds against what it should, and changes nothing", async () => {
    const sw = await startLabSwitch({ name: `dr-${process.pid}`, dialect: "non-els", timeScale: 60 });
    afterAll(() => sw.close());
    const row = await createSwitch(db, secretsKey, admin, { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
    await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1", bindings: [{ ip: "10.2.0.1", mac: "02:00:00:00:02:01", vlan: "VLAN.13" }] });
    await reconcileSwitch(deps, row.id, "test");
    expect(await auditSwitchDrift(deps, row.id)).toEqual([]);

    deleteStatement(sw.state.active, ["ethernet-switching-options", "secure-access-port", "interface", "ge-0/0/1.0", "static-ip"]);
    setStatement(sw.state.active, [
      "ethernet-switching-options",
      "secure-access-port",
      "interface",
      "ge-0/0/9.0",
      "static-ip",
      "10.2.0.9",
      "vlan",
      "VLAN.13",
      "mac",
      "02:00:00:00:02:09",
    ]);
    const commits = sw.state.commits.length;
    const drift = await auditSwitchDrift(deps, row.id);
    expect(drift).toEqual([
      expect.objectContaining({ interface: "ge-0/0/1.0", missing: [expect.objectContaining({ ip: "10.2.0.1" })], extra: [], isManaged: true }),
      expect.objectContaining({ interface: "ge-0/0/9.0", missing: [], extra: [expect.objectContaining({ ip: "10.2.0.9" })], isManaged: false }),
    ]);
    expect(sw.state.commits.length).toBe(commits);
    const [overview] = (await listSwitchOverview(db)).filter((s) => s.id === row.id);
    expect(overview!.drift).toMatchObject({ driftPorts: 2, error: null });
    expect(await countSwitchAlerts(db)).toMatchObject({ drifted: 1, hostKeyMismatch: 0 });
  });
});
