import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { switches } from "@/drizzle/schema";
import { buildLabNpmWorld, LAB_JUNOS_LINKS, withLabNodeNetworks } from "@/lab/edge-world";
import { createLabInventoryWorld } from "@/lab/inventory/world";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { startLabNpm, type LabNpm } from "@/lab/npm";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createNpmClient } from "@/server/connectors/npm/client";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTestDatabase } from "@/server/testing/database";
import { collectInventory } from "../inventory/collector";
import { backupSwitch } from "../switches/backup-run";
import { createSwitch } from "../switches/switches";
import { collectEdgeSnapshot, readNodeNetworks, readNpm } from "./collector";
import { getEdgeMap, getPhysicalPortMap, searchEdgeMap } from "./edge-map";
import { createPortMapEntry } from "./port-map";

// The demo's r630-04 is cabled nowhere the typed map knows; our lab-ex3400 hears its eno1 over
// LLDP on ge-0/0/2 (ae1). After a backup of the switch, the path from build.demo.sankofa reaches
// that port, with the switch reading's source and freshness.
const { db } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@lldp.test" };
let ex: LabSwitch;
let npm: LabNpm;
let pve: LabProxmox;

beforeAll(async () => {
  ex = await startLabSwitch({ name: "lab-ex3400", dialect: "els", links: LAB_JUNOS_LINKS["lab-ex3400"] });
  npm = await startLabNpm({ world: buildLabNpmWorld() });
  pve = await startLabProxmox({ world: withLabNodeNetworks(createLabInventoryWorld()) });
});
afterAll(async () => {
  await Promise.all([ex.close(), npm.close(), pve.close()]);
});

describe("the edge path through our Juniper switch's LLDP", () => {
  it("maps r630-04's NIC to the EX port that hears it, and marks it stale when the next read fails", async () => {
    const proxmox = createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 5_000 });
    await collectInventory(db, { client: proxmox, trigger: "manual" });
    await collectEdgeSnapshot(db, { source: "proxmox-network", trigger: "manual", read: () => readNodeNetworks(proxmox), notConfigured: "-" });
    const n = createNpmClient({ baseUrl: npm.url, identity: npm.identity, secret: npm.secret, timeoutMs: 5_000 });
    await collectEdgeSnapshot(db, { source: "npm", trigger: "manual", read: () => readNpm(n), notConfigured: "-" });

    // Before any backup read the switch: nothing names r630-04's port.
    const before = await getEdgeMap(db);
    expect(before.findings.map((f) => `${f.kind} ${f.subject}`)).toContain("node-nic-unmapped r630-04");
    expect(before.sources["junos-lldp"]).toBeUndefined();

    const row = await createSwitch(db, secretsKey, admin, { name: ex.name, host: ex.host, port: ex.port, username: ex.username, password: ex.password });
    await db.update(switches).set({ hostKeyFingerprint: ex.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
    // The panel position of that port, as an admin typed it (no far end).
    await createPortMapEntry(db, admin, { switchName: "lab-ex3400", switchKind: "juniper", port: "ge-0/0/2", panel: "PP-B", panelPosition: "2" });
    await backupSwitch({ db, secretsKey, openSession: openJunosSession }, row.id, "scheduled");

    const { paths, findings, sources } = await searchEdgeMap(db, "build.demo.sankofa");
    expect(paths.map((p) => p.id)).toEqual(["npm:5"]);
    const hops = paths[0]!.hops;
    expect(hops.map((h) => [h.kind, h.label])).toEqual([
      ["hostname", "build.demo.sankofa"],
      ["proxy-host", "NPM #5 → http://192.168.11.135:8080"],
      ["lan-endpoint", "192.168.11.135:8080"],
      ["guest", "CT 8701 build-cache"],
      ["node", "r630-04"],
      ["node-nic", "vmbr0 → eno1"],
      ["switch-port", "lab-ex3400 ge-0/0/2"],
      ["patch-panel", "PP-B / 2"],
    ]);
    const port = hops.find((h) => h.kind === "switch-port")!;
    expect(port).toMatchObject({ detail: "r630-04 eno1 in ae1, proposed from our switch's LLDP, unconfirmed", isUnconfirmed: true });
    expect(port.freshness).toMatchObject({ source: "junos-lldp", isStale: false, error: null });
    expect(findings.map((f) => `${f.kind} ${f.subject}`)).not.toContain("node-nic-unmapped r630-04");
    expect(sources["junos-lldp"]).toMatchObject({ isStale: false });
    // Searchable by the EX port and its bundle.
    expect((await searchEdgeMap(db, "lab-ex3400:ae1")).paths.map((p) => p.id)).toEqual(["npm:5"]);

    // The physical map shows the switch's reading beside the typed row, and the ae1 member nobody typed.
    const physical = await getPhysicalPortMap(db, "lab-ex3400");
    expect(physical.rows.map((r) => [r.port, r.entryId !== null, r.collected?.lag, r.collected?.lldp ?? null])).toEqual(
      expect.arrayContaining([
        ["ge-0/0/2", true, "in ae1", "0c:c4:7a:04:00:01 eno1 (r630-04)"],
        ["ge-0/0/3", false, "in ae1", null],
      ]),
    );

    // The next backup cannot read LLDP: the backup stands, the last reading is kept but no longer current.
    ex.setFaults({ commandOutput: { "show lldp neighbors": ["error: the lldp subsystem is not running"] } });
    await backupSwitch({ db, secretsKey, openSession: openJunosSession }, row.id, "scheduled");
    const after = (await searchEdgeMap(db, "build.demo.sankofa")).paths[0]!.hops.find((h) => h.kind === "switch-port")!;
    expect(after.label).toBe("lab-ex3400 ge-0/0/2");
    expect(after.freshness).toMatchObject({ source: "junos-lldp", isStale: true, error: expect.stringContaining("lldp subsystem is not running") });
  });
});
