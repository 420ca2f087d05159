import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, switches } from "@/drizzle/schema";
import { buildLabNpmWorld, buildLabUnifiWorld, LAB_JUNOS_LINKS, LAB_NODE_CABLING, withLabNodeNetworks } from "@/lab/edge-world";
import { createLabInventoryWorld } from "@/lab/inventory/world";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { startLabNpm, type LabNpm } from "@/lab/npm";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { startLabUnifi, type LabUnifi } from "@/lab/unifi";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createNpmClient } from "@/server/connectors/npm/client";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createUnifiClient } from "@/server/connectors/unifi/client";
import type { Db } from "@/server/db/client";
import { createTestDatabase } from "@/server/testing/database";
import { collectInventory } from "../inventory/collector";
import { backupSwitch } from "../switches/backup-run";
import { createSwitch } from "../switches/switches";
import { collectEdgeSnapshot, readNodeNetworks, readNpm, readUnifi } from "./collector";
import { getEdgeMap, getPhysicalPortMap, getPhysicalPortMapPage, searchEdgeMap } from "./edge-map";
import { createPortMapEntry, exportPortMapNetbox, listPortMapEntries } from "./port-map";
import { confirmEveryPortProposal, confirmPortProposals, listPortProposals } from "./proposals";
import { portMapTableSpec } from "@/lib/edge/port-map-table";
import { parseTableState } from "@/lib/table/url-state";

// The lab's floor with nothing typed: UniFi's usw-core hears r630-01..03 over LLDP on their LAG
// ports (and sees their guests in its client table), our lab-ex3400 hears r630-04, and ml110 sends no
// LLDP at all (lab/edge-world.ts). Every fact comes over real HTTPS/SSH from the lab.
const secretsKey = randomBytes(32);
const admin = { id: "admin@proposals.test" };
let unifi: LabUnifi;
let npm: LabNpm;
let pve: LabProxmox;
let ex: LabSwitch;

beforeAll(async () => {
  [unifi, npm, pve, ex] = await Promise.all([
    startLabUnifi({ world: buildLabUnifiWorld() }),
    startLabNpm({ world: buildLabNpmWorld() }),
    startLabProxmox({ world: withLabNodeNetworks(createLabInventoryWorld()) }),
    startLabSwitch({ name: "lab-ex3400", dialect: "els", links: LAB_JUNOS_LINKS["lab-ex3400"] }),
  ]);
});
afterAll(async () => {
  await Promise.all([unifi.close(), npm.close(), pve.close(), ex.close()]);
});

/** A fresh database with every collection done once and one backup of lab-ex3400 (which reads its LLDP). */
async function collectEverything(): Promise<Db> {
  const { db } = await createTestDatabase();
  const proxmox = createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 5_000 });
  await collectInventory(db, { client: proxmox, trigger: "manual" });
  await collectEdgeSnapshot(db, { source: "proxmox-network", trigger: "manual", read: () => readNodeNetworks(proxmox), notConfigured: "-" });
  const u = createUnifiClient({ baseUrl: unifi.url, apiKey: unifi.apiKey, fingerprint256: unifi.fingerprint256, timeoutMs: 5_000 });
  await collectEdgeSnapshot(db, { source: "unifi", trigger: "manual", read: () => readUnifi(u), notConfigured: "-" });
  const n = createNpmClient({ baseUrl: npm.url, identity: npm.identity, secret: npm.secret, timeoutMs: 5_000 });
  await collectEdgeSnapshot(db, { source: "npm", trigger: "manual", read: () => readNpm(n), notConfigured: "-" });
  const sw = await createSwitch(db, secretsKey, admin, { name: ex.name, host: ex.host, port: ex.port, username: ex.username, password: ex.password });
  await db.update(switches).set({ hostKeyFingerprint: ex.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, sw.id));
  await backupSwitch({ db, secretsKey, openSession: openJunosSession }, sw.id, "scheduled");
  return db;
}

const describeProposal = (p: Awaited<ReturnType<typeof listPortProposals>>[number]) =>
  `${p.switchName}:${p.port} ${p.farHost} ${p.farNic ?? "?"} ${p.lag ?? "-"} ${p.source}`;

describe("port map rows proposed from what the network reports", () => {
  it("proposes every LLDP-sending node's ports, and names only the node that sends none", async () => {
    const db = await collectEverything();
    const proposals = await listPortProposals(db);
    expect(proposals.map(describeProposal)).toEqual([
      "lab-ex3400:ge-0/0/2 r630-04 eno1 ae1 junos-lldp",
      ...LAB_NODE_CABLING.map(
        (c) => `usw-core:${c.port} ${c.node} ${c.nic} LAG ${Math.ceil(c.port / 2)} (ports ${c.port - ((c.port + 1) % 2)}, ${c.port + (c.port % 2)}) unifi-lldp`,
      ),
    ]);
    // Seen-at is the collection's, the host bond is the node's, and what is not known is said.
    const p5 = proposals.find((p) => p.key === "usw-core#5")!;
    expect(p5).toMatchObject({ hostBond: "bond0", seenAt: expect.any(Date), contradicts: null, evidence: "LLDP chassis 0c:c4:7a:02:00:01 port eno1" });
    expect(p5.macNote).toMatch(/MAC unknown/);

    const map = await getEdgeMap(db);
    expect(map.findings.filter((f) => f.kind === "node-nic-unmapped").map((f) => f.subject)).toEqual(["ml110"]);
    expect(map.findings.filter((f) => f.kind === "port-map-disagrees")).toEqual([]);
    // The path follows the proposals, marked unconfirmed.
    const portal = (await searchEdgeMap(db, "portal.demo.sankofa")).paths[0]!;
    expect(portal.hops.filter((h) => h.kind === "switch-port").map((h) => [h.label, h.isUnconfirmed])).toEqual([
      ["usw-core 5", true],
      ["usw-core 6", true],
    ]);
    // The page's proposals and the path's are one computation.
    expect(map.proposals).toEqual(proposals);
    expect((await getPhysicalPortMap(db, "")).proposals).toEqual(proposals);
  });

  it("confirms proposals in bulk: audited rows, a complete path, exported to NetBox; proposals never are", async () => {
    const db = await collectEverything();
    expect(await exportPortMapNetbox(db)).toEqual(await exportPortMapNetbox((await createTestDatabase()).db));

    const proposals = await listPortProposals(db);
    const rows = await confirmPortProposals(
      db,
      admin,
      proposals.map((p) => p.key),
    );
    expect(rows).toHaveLength(7);
    expect(await listPortProposals(db)).toEqual([]);
    const r5 = (await listPortMapEntries(db)).find((r) => r.switchName === "usw-core" && r.port === "5")!;
    expect(r5).toMatchObject({ farHost: "r630-02", farNic: "eno1", bond: "LAG 3 (ports 5, 6)", origin: "unifi-lldp", updatedBy: admin.id });
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "port_map.confirm"), eq(auditLog.entityId, String(r5.id))));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor).toBe(admin.id);

    const portal = (await searchEdgeMap(db, "portal.demo.sankofa")).paths[0]!;
    expect(portal.hops.filter((h) => h.kind === "switch-port").map((h) => [h.label, h.isUnconfirmed ?? false, h.freshness.source])).toEqual([
      ["usw-core 5", false, "port-map"],
      ["usw-core 6", false, "port-map"],
    ]);
    const build = (await searchEdgeMap(db, "build.demo.sankofa")).paths[0]!;
    expect(build.hops.find((h) => h.kind === "switch-port")).toMatchObject({ label: "lab-ex3400 ge-0/0/2" });
    expect(build.hops.find((h) => h.kind === "switch-port")!.isUnconfirmed).toBeUndefined();

    const { interfacesCsv, cablesCsv } = await exportPortMapNetbox(db);
    expect(interfacesCsv).toContain("usw-core");
    expect(cablesCsv).toContain("r630-02");
    expect(cablesCsv).toContain("r630-04");
    // A second confirmation of the same port: no longer proposed.
    await expect(confirmPortProposals(db, admin, ["usw-core#5"])).rejects.toThrow("no longer proposed");
  });

  it("flags a proposal that contradicts a typed row, keeps the row, and refuses to confirm it", async () => {
    const db = await collectEverything();
    const typed = await createPortMapEntry(db, admin, { switchName: "usw-core", switchKind: "unifi", port: "9", farHost: "r630-02", farNic: "eno1" });
    const p9 = (await listPortProposals(db)).find((p) => p.key === "usw-core#9")!;
    expect(p9.contradicts).toEqual({ entryId: typed.id, message: expect.stringContaining("typed as r630-02 eno1") });
    const map = await getEdgeMap(db);
    expect(map.findings).toContainEqual({ kind: "port-map-disagrees", subject: "usw-core:9", message: p9.contradicts!.message });

    await expect(confirmPortProposals(db, admin, ["usw-core#1", "usw-core#9"])).rejects.toThrow("the typed row is kept");
    // All or nothing: usw-core 1 was not confirmed either, and the typed row is as it was.
    expect((await listPortMapEntries(db)).map((r) => `${r.port} ${r.farHost} ${r.farNic}`)).toEqual(["9 r630-02 eno1"]);
    // The path still reads the typed row for r630-02's eno1 (usw-core 9), and r630-03's eno1 follows no contradicted proposal.
    const grafana = (await searchEdgeMap(db, "grafana.demo.sankofa")).paths[0]!;
    expect(grafana.hops.filter((h) => h.kind === "switch-port").map((h) => h.label)).toEqual(["r630-03 eno1: no mapped switch port", "usw-core 10"]);
  });

  it("confirms all the page counted for a search, or nothing when the network now proposes another number", async () => {
    const db = await collectEverything();
    await createPortMapEntry(db, admin, { switchName: "usw-core", switchKind: "unifi", port: "9", farHost: "r630-02", farNic: "eno1" });
    // What the page shows for "usw-core": the rows (first ones only at size), their count, and how many "Confirm all" takes.
    const page = await getPhysicalPortMapPage(db, { ...parseTableState(portMapTableSpec, {}).state, q: "usw-core" });
    const named = (await listPortProposals(db)).filter((p) => p.switchName === "usw-core");
    const confirmable = named.filter((p) => !p.contradicts);
    expect(confirmable.length).toBeLessThan(named.length);
    expect(page.proposals).toEqual({ shown: named, total: named.length, confirmable: confirmable.length });

    // Counted one more than there is (a proposal was confirmed or went away meanwhile): nothing is confirmed.
    await expect(confirmEveryPortProposal(db, admin, { q: "usw-core", expectedCount: page.proposals.confirmable + 1 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`${page.proposals.confirmable} proposals can be confirmed now`),
    });
    expect(await listPortMapEntries(db)).toHaveLength(1);

    const rows = await confirmEveryPortProposal(db, admin, { q: "usw-core", expectedCount: page.proposals.confirmable });
    expect(rows.map((r) => `${r.switchName}:${r.port}`).sort()).toEqual(
      named
        .filter((p) => !p.contradicts)
        .map((p) => `${p.switchName}:${p.port}`)
        .sort(),
    );
    // The search's other rows are untouched: lab-ex3400's proposal stays, and the contradicted one.
    expect((await listPortProposals(db)).map((p) => p.key).sort()).toEqual(
      ["lab-ex3400#ge-0/0/2", ...named.filter((p) => p.contradicts).map((p) => p.key)].sort(),
    );
  });
});
