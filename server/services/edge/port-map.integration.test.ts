import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, portMapEntries } from "@/drizzle/schema";
import { buildLabNpmWorld, buildLabUnifiWorld, describeLabCablingEntries, withLabNodeNetworks } from "@/lab/edge-world";
import { createLabInventoryWorld } from "@/lab/inventory/world";
import { startLabNpm, type LabNpm } from "@/lab/npm";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { startLabUnifi, type LabUnifi } from "@/lab/unifi";
import { portMapTableSpec } from "@/lib/edge/port-map-table";
import { parseTableState } from "@/lib/table/url-state";
import { createNpmClient } from "@/server/connectors/npm/client";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createUnifiClient } from "@/server/connectors/unifi/client";
import { createTestDatabase } from "@/server/testing/database";
import { collectInventory } from "../inventory/collector";
import { createAddress } from "../ipam/addresses";
import { sql } from "drizzle-orm";
import { computeEdgeMap } from "@/lib/edge/path";
import { findServedNames } from "@/lib/edge/served-names";
import { createPrefix } from "../ipam/prefixes";
import { collectEdgeSnapshot, readNodeNetworks, readNpm, readUnifi } from "./collector";
import { getEdgeMap, getPhysicalPortMap, getPhysicalPortMapPage, loadEdgeInputs, searchEdgeMap } from "./edge-map";
import {
  createPortMapEntry,
  deletePortMapEntry,
  exportPortMapCsv,
  exportPortMapNetbox,
  importPortMap,
  listPortMapEntries,
  updatePortMapEntry,
} from "./port-map";

const { db } = await createTestDatabase();
const alice = { id: "alice@edge.test" };
const bob = { id: "bob@edge.test" };

const auditOf = (id: number) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "port_map_entry"), eq(auditLog.entityId, String(id))))
    .orderBy(auditLog.id);

describe("port map CRUD", () => {
  it("creates, edits and deletes a row, each audited with who and what", async () => {
    const row = await createPortMapEntry(db, alice, {
      switchName: "ex3400-crud",
      switchKind: "juniper",
      port: "ge-0/0/7",
      farHost: "dedi-207",
      farNic: "eth0",
      nativeVlan: 13,
      vlanMode: "access",
    });
    expect(row).toMatchObject({ updatedBy: alice.id, nativeVlan: 13, taggedVlans: [] });
    const edited = await updatePortMapEntry(db, bob, row.id, {
      switchName: "ex3400-crud",
      port: "ge-0/0/7",
      panel: "PP-C",
      panelPosition: "7",
      farHost: "dedi-207",
      farNic: "eth0",
    });
    expect(edited).toMatchObject({ panel: "PP-C", panelPosition: "7", updatedBy: bob.id, nativeVlan: null });
    await deletePortMapEntry(db, alice, row.id);
    expect(await db.select().from(portMapEntries).where(eq(portMapEntries.id, row.id))).toEqual([]);
    const audit = await auditOf(row.id);
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["port_map.create", alice.id],
      ["port_map.update", bob.id],
      ["port_map.delete", alice.id],
    ]);
    expect(audit[1]!.before).toMatchObject({ panel: null, nativeVlan: 13 });
    expect(audit[1]!.after).toMatchObject({ panel: "PP-C", panelPosition: "7" });
  });

  it("refuses a second row for the same switch port, naming the field, and writes nothing", async () => {
    await createPortMapEntry(db, alice, { switchName: "ex3400-dup", port: "ge-0/0/1" });
    await expect(createPortMapEntry(db, alice, { switchName: "ex3400-dup", port: "ge-0/0/1" })).rejects.toMatchObject({ code: "CONFLICT", field: "port" });
    expect(await db.select().from(portMapEntries).where(eq(portMapEntries.switchName, "ex3400-dup"))).toHaveLength(1);
  });

  it("refuses bad input with the field named, and an unknown row as not found", async () => {
    await expect(createPortMapEntry(db, alice, { switchName: "ex3400-bad", port: "ge-0/0/1", farMac: "zz" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "farMac",
    });
    await expect(updatePortMapEntry(db, alice, 999_999, { switchName: "x", port: "1" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("port map import and export", () => {
  it("round-trips the stored map through NetBox's interface and cable CSVs", async () => {
    const isolated = await createTestDatabase();
    await createPortMapEntry(isolated.db, alice, {
      switchName: "usw-core",
      switchKind: "unifi",
      port: "5",
      panel: "PP-A",
      panelPosition: "5",
      farHost: "r630-02",
      farNic: "eno1",
      farMac: "0c:c4:7a:02:00:01",
      bond: "lag-3",
      vlanMode: "trunk",
      nativeVlan: 11,
      taggedVlans: [200, 20],
      speedMbps: 10_000,
      notes: "@risky note",
    });
    await createPortMapEntry(isolated.db, alice, { switchName: "ex3400", switchKind: "juniper", port: "ge-0/0/9", farHost: "dedi-201", farNic: "eth0" });
    const before = (await listPortMapEntries(isolated.db)).map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest);
    const netbox = await exportPortMapNetbox(isolated.db);
    expect(netbox.interfacesCsv).toContain("'@risky note");

    const other = await createTestDatabase();
    expect(await importPortMap(other.db, bob, { format: "netbox", ...netbox })).toEqual({ created: 2, updated: 0 });
    const after = (await listPortMapEntries(other.db)).map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest);
    expect(before[1]!.taggedVlans).toEqual([20, 200]);
    expect(after).toEqual(before.map((r) => ({ ...r, updatedBy: bob.id })));
    const [audit] = await other.db.select().from(auditLog).where(eq(auditLog.action, "port_map.import"));
    expect(audit).toMatchObject({ actor: bob.id, after: { format: "netbox", created: 2, updated: 0, ports: ["ex3400 ge-0/0/9", "usw-core 5"] } });

    // Our CSV, imported over the same rows, updates them in place.
    expect(await importPortMap(other.db, alice, { format: "csv", csv: await exportPortMapCsv(isolated.db) })).toEqual({ created: 0, updated: 2 });
  });

  it("imports nothing when one row is wrong, and says which", async () => {
    const isolated = await createTestDatabase();
    const csv = "switch,port,native_vlan\nsw-x,1,11\nsw-x,2,9999\n";
    await expect(importPortMap(isolated.db, alice, { format: "csv", csv })).rejects.toThrow("Port map CSV row 3: a VLAN id is 1–4094");
    expect(await listPortMapEntries(isolated.db)).toEqual([]);
  });
});

describe("the edge map over collected data", () => {
  let unifi: LabUnifi;
  let npm: LabNpm;
  let pve: LabProxmox;
  beforeAll(async () => {
    unifi = await startLabUnifi({ world: buildLabUnifiWorld() });
    npm = await startLabNpm({ world: buildLabNpmWorld() });
    pve = await startLabProxmox({ world: withLabNodeNetworks(createLabInventoryWorld()) });
  });
  afterAll(async () => {
    await Promise.all([unifi.close(), npm.close(), pve.close()]);
  });

  it("shows portal.demo.sankofa's whole path to the patch panel, and the lab's findings", async () => {
    const isolated = await createTestDatabase();
    const proxmox = createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 5_000 });
    await collectInventory(isolated.db, { client: proxmox, trigger: "manual" });
    await collectEdgeSnapshot(isolated.db, { source: "proxmox-network", trigger: "manual", read: () => readNodeNetworks(proxmox), notConfigured: "-" });
    const u = createUnifiClient({ baseUrl: unifi.url, apiKey: unifi.apiKey, fingerprint256: unifi.fingerprint256, timeoutMs: 5_000 });
    await collectEdgeSnapshot(isolated.db, { source: "unifi", trigger: "manual", read: () => readUnifi(u), notConfigured: "-" });
    const n = createNpmClient({ baseUrl: npm.url, identity: npm.identity, secret: npm.secret, timeoutMs: 5_000 });
    await collectEdgeSnapshot(isolated.db, { source: "npm", trigger: "manual", read: () => readNpm(n), notConfigured: "-" });
    for (const entry of describeLabCablingEntries()) await createPortMapEntry(isolated.db, alice, entry);
    await createPrefix(isolated.db, alice, { prefix: "192.168.11.0/24" });
    await createAddress(isolated.db, alice, { address: "192.168.11.170", hostname: "sankofa-portal", status: "active" });
    await createAddress(isolated.db, alice, { address: "192.168.11.99", hostname: "shop.demo.sankofa", status: "planned" });

    const { paths } = await searchEdgeMap(isolated.db, "portal.demo.sankofa");
    expect(paths).toHaveLength(1);
    expect(paths[0]!.hops.map((h) => h.label)).toEqual([
      "portal.demo.sankofa",
      "NPM #1 → http://192.168.11.170:3000",
      "192.168.11.170:3000",
      "CT 7800 sankofa-portal",
      "r630-02",
      "vmbr0 → bond0",
      "usw-core 5",
      "PP-A / 5",
      "usw-core 6",
      "PP-A / 6",
    ]);
    expect(paths[0]!.hops.every((h) => !h.freshness.isStale)).toBe(true);

    const map = await getEdgeMap(isolated.db);
    const found = map.findings.map((f) => `${f.kind} ${f.subject}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "certificate-expiring rpc.demo.sankofa",
        "ip-on-no-guest 192.168.11.53",
        // Neither sends LLDP anything here hears (no EX switch in this test), nor has a typed row.
        "node-nic-unmapped r630-04",
        "node-nic-unmapped ml110",
        "no-proxy-host shop.demo.sankofa",
      ]),
    );
    expect(found).not.toContain("forward-host-not-in-ipam 192.168.11.170");

    // The edge reads only the IPAM rows its paths and served names can use: the same map as from every row.
    await isolated.db.execute(sql`
      insert into ipam_addresses (address, prefix_id, hostname, status, source_ref)
      select ('192.168.11.' || g)::inet, (select id from ipam_prefixes limit 1), 'filler-' || g || '.elsewhere.test', 'active', 'console'
      from generate_series(180, 250) g`);
    const { inputs } = await loadEdgeInputs(isolated.db, map.sources.npm.collectedAt ?? new Date());
    const every = [
      ...(await isolated.db.execute<{ address: string; mac: string | null; hostname: string | null }>(
        sql`select host(address) as address, mac, hostname from ipam_addresses where status in ('active', 'planned') order by address`,
      )),
    ];
    const npmDomains = inputs.npm.data?.proxyHosts.flatMap((h) => h.domainNames) ?? [];
    const fromEvery = computeEdgeMap({
      ...inputs,
      ipam: { ...inputs.ipam, addresses: every },
      servedNames: findServedNames(every.map((a) => a.hostname ?? "").filter(Boolean), npmDomains),
    });
    expect(computeEdgeMap(inputs)).toEqual(fromEvery);
    // Only the rows named (the targets' addresses, the guests their names resolve to, the served zone's names), not the filler.
    expect(inputs.ipam.addresses.length).toBeLessThan(every.length / 4);
    expect(inputs.ipam.addresses.map((a) => a.address)).toEqual(expect.arrayContaining(["192.168.11.99", "192.168.11.170"]));
    // Search by VMID and by patch position finds the same path.
    expect((await searchEdgeMap(isolated.db, "7800")).paths.map((p) => p.id)).toEqual(["npm:1"]);
    expect((await searchEdgeMap(isolated.db, "PP-A 6")).paths.map((p) => p.id)).toEqual(["npm:1"]);

    // The physical map: typed rows beside the collected ports, and the collected uplink nobody typed.
    const physical = await getPhysicalPortMap(isolated.db, "");
    expect(physical.rows.find((r) => r.switchName === "usw-core" && r.port === "5")).toMatchObject({
      collected: { name: "r630-02 eno1", isUp: true, lag: "LAG 3", lldp: "0c:c4:7a:02:00:01 eno1", freshness: { isStale: false } },
      disagreements: [],
    });
    expect(physical.rows.find((r) => r.port === "24")).toMatchObject({ entryId: null, collected: { isUplink: true } });
    expect((await getPhysicalPortMap(isolated.db, "r630-03")).rows.map((r) => r.port)).toEqual(["9", "10"]);

    // The page's table reads one page of the same rows (one answer), with only that page's typed rows.
    const base = parseTableState(portMapTableSpec, {}).state;
    const pages = [];
    for (let page = 1; page <= Math.ceil(physical.rows.length / 2); page++)
      pages.push(await getPhysicalPortMapPage(isolated.db, { ...base, pageSize: 2, page }));
    expect(pages.every((p) => p.total === physical.rows.length && p.rows.length <= 2)).toBe(true);
    expect(pages.flatMap((p) => p.rows.map((r) => r.key)).sort()).toEqual(physical.rows.map((r) => r.key).sort());
    expect(pages.every((p) => p.entries.every((e) => p.rows.some((r) => r.entryId === e.id)))).toBe(true);
    const searched = await getPhysicalPortMapPage(isolated.db, { ...base, q: "r630-03" });
    expect(searched.rows.map((r) => r.port)).toEqual(["9", "10"]);
    expect(searched.entries.map((e) => e.port).sort()).toEqual(["10", "9"]);
    const usw = await getPhysicalPortMapPage(isolated.db, { ...base, filters: { switch: "usw-core", status: "agree" } });
    const agreeing = physical.rows.filter((r) => r.switchName === "usw-core" && r.collected !== null && r.disagreements.length === 0);
    expect(usw.rows.map((r) => r.key).sort()).toEqual(agreeing.map((r) => r.key).sort());
    expect(usw.total).toBeGreaterThan(0);
  });
});
