import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, inventorySnapshots } from "@/drizzle/schema";
import { withLabNodeNetworks } from "@/lab/edge-world";
import { createLabInventoryWorld } from "@/lab/inventory/world";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { silentLogger, startWorkerRunner } from "@/workers/runner";
import { createInventorySchedulerTask } from "@/workers/tasks/inventory-scheduler";
import { updateSettings } from "../platform/settings";
import { getInventoryDrift, getLiveInventory, importDeclaredFiles } from "./queries";
import { collectInventory } from "./collector";
import { requestInventoryRefresh } from "./jobs";

const { db, url } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const sample = (name: string) => readFileSync(new URL(`../../../lab/inventory/${name}`, import.meta.url), "utf8");

let pve: LabProxmox;
beforeAll(async () => {
  // The demo's cluster: the inventory world with the nodes' NICs and bonds.
  pve = await startLabProxmox({ world: withLabNodeNetworks(createLabInventoryWorld()) });
});
afterAll(() => pve.close());
const client = () => createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 2_000 });

describe("inventory collector against the lab Proxmox", () => {
  it("stores a snapshot with nodes, guests, config and live addresses", async () => {
    const snap = await collectInventory(db, { client: client(), trigger: "manual" });
    expect(snap).toMatchObject({ status: "ok", error: null, trigger: "manual" });
    expect(snap.collectedAt).toBeInstanceOf(Date);
    const data = snap.data!;
    expect(data.nodes.map((n) => n.node)).toEqual(["ml110", "r630-01", "r630-02", "r630-03", "r630-04"]);
    expect(data.nodes.find((n) => n.node === "r630-04")).toMatchObject({ cpus: 48, mem_total_bytes: 256 * 2 ** 30, mem_used_bytes: 21 * 2 ** 30 });
    expect(data.nodes[0]!.storage.map((s) => [s.storage, s.is_shared])).toEqual([
      ["ceph-vm", true],
      ["local", false],
      ["local-lvm", false],
      ["nfs-backups", true],
    ]);
    expect(data.guests).toHaveLength(41);
    const g = (vmid: number) => data.guests.find((x) => x.vmid === vmid)!;
    // Static config, agent confirms it (loopback and link-local dropped).
    expect(g(1000)).toMatchObject({ type: "qemu", config_ips: ["192.168.11.100"], live_ips: ["192.168.11.100"], cpus: 8 });
    // No agent: not an error, live unknown.
    expect(g(1003)).toMatchObject({ config_ips: ["192.168.11.103"], live_ips: null });
    // DHCP: `dhcp` is not an address; the agent gives it.
    expect(g(2103)).toMatchObject({ config_ips: [], live_ips: ["192.168.11.213"] });
    expect(g(8700)).toMatchObject({ config_ips: [], live_ips: null });
    // LXC with two NICs, one tagged on VLAN 200; ip6=manual is not an address.
    expect(g(8600).nics).toEqual([
      { index: 0, mac: "bc:24:11:00:21:98", bridge: "vmbr0", vlan_tag: null, config_ips: ["192.168.11.30"] },
      { index: 1, mac: "bc:24:11:01:21:98", bridge: "vmbr0", vlan_tag: 200, config_ips: ["10.200.0.1"] },
    ]);
    expect(g(8002)).toMatchObject({ status: "stopped", live_ips: null });
  });

  it("stores each node's storages, CPU, NICs and bonds, and each guest's disks; the hosts page sums them", async () => {
    const data = (await collectInventory(db, { client: client(), trigger: "manual" })).data!;
    const GiB = 2 ** 30;
    const r01 = data.nodes.find((n) => n.node === "r630-01")!;
    expect(r01).toMatchObject({ cpu_model: "Intel(R) Xeon(R) CPU E5-2650 v4 @ 2.20GHz", cpu_sockets: 2, cpu_cores: 24 });
    const { volumes, ...lvm } = r01.storage.find((s) => s.storage === "local-lvm")!;
    expect(lvm).toEqual({
      storage: "local-lvm",
      type: "lvmthin",
      total_bytes: 4 * 2 ** 40,
      used_bytes: Math.round(1.6 * 2 ** 40),
      avail_bytes: 4 * 2 ** 40 - Math.round(1.6 * 2 ** 40),
      is_shared: false,
      content: ["images", "rootdir"],
      is_active: true,
    });
    // The thin pool's guest volumes, as the storage lists them (the detached disk among them).
    expect(volumes).toContainEqual({ volid: "local-lvm:vm-8001-disk-1", vmid: 8001, size_bytes: 100 * GiB });
    expect(volumes).toContainEqual({ volid: "local-lvm:subvol-8600-disk-0", vmid: 8600, size_bytes: 8 * GiB });
    // A shared pool is listed once (from the first node), not once per node; ISOs and templates are not read as volumes.
    expect(data.nodes.filter((n) => n.storage.find((s) => s.storage === "ceph-vm")?.volumes)).toHaveLength(1);
    expect(r01.storage.find((s) => s.storage === "local")!.volumes).toBeUndefined();
    expect(r01.ifaces!.find((i) => i.iface === "bond0")).toEqual({
      iface: "bond0",
      type: "bond",
      is_active: true,
      bond_members: ["eno1", "eno2"],
      bond_mode: "802.3ad",
      bridge_ports: [],
      speed_mbps: null,
    });
    const g = (vmid: number) => data.guests.find((x) => x.vmid === vmid)!;
    // The CD-ROM (ide2: none,media=cdrom) is not a disk; a data disk on the shared pool is.
    expect(g(8500).disks).toEqual([
      { key: "scsi0", storage: "local-lvm", volid: "local-lvm:vm-8500-disk-0", size_bytes: 32 * GiB },
      { key: "scsi1", storage: "ceph-vm", volid: "ceph-vm:vm-8500-disk-1", size_bytes: 2048 * GiB },
    ]);
    expect(g(7811).disks).toEqual([
      { key: "mp0", storage: "ceph-vm", volid: "ceph-vm:subvol-7811-disk-1", size_bytes: 500 * GiB },
      { key: "rootfs", storage: "local-lvm", volid: "local-lvm:subvol-7811-disk-0", size_bytes: 8 * GiB },
    ]);
    // A detached disk: its config gives no size.
    expect(g(8001).disks).toContainEqual({ key: "unused0", storage: "local-lvm", volid: "local-lvm:vm-8001-disk-1", size_bytes: null });

    const cap = await callerFor(db, buildViewer()).hosts.capacity({});
    const host = (name: string) => cap.nodes.find((n) => n.node === name)!;
    // Local storage is no longer 0: r630-01's guests are given 2230 GiB of its 4 TiB thin pool (the
    // detached disk's 100 GiB from the volume list, as its config has no size).
    expect(host("r630-01").storage).toMatchObject({ total: 4 * 2 ** 40, allocated: 2230 * GiB });
    expect(host("r630-01").storages.find((s) => s.storage === "local-lvm")).toMatchObject({ allocated: 2230 * GiB, disksOfUnknownSize: 0, unreferenced: [] });
    // r630-04 keeps a deleted guest's disk no config names: shown, and counted as given out.
    const r04 = host("r630-04").storages.find((s) => s.storage === "local-lvm")!;
    expect(r04.unreferenced).toEqual([{ volid: "local-lvm:vm-6200-disk-0", vmid: 6200, bytes: 250 * GiB }]);
    expect(r04.provisioned - r04.allocated).toBe(250 * GiB);
    // The ml110's pool is given out about twice over.
    expect(host("ml110").storage.ratio).toBeGreaterThan(1.9);
    expect(host("ml110").storages.find((s) => s.storage === "local-lvm")).toMatchObject({ isOvercommitted: true });
    // The Ceph pool once for the cluster: 12 TiB, not 60.
    expect(cap.sharedStorages.find((s) => s.storage === "ceph-vm")).toMatchObject({
      total: 12 * 2 ** 40,
      allocated: 3048 * GiB,
      nodes: data.nodes.map((n) => n.node),
    });
    expect(host("r630-02").network!.bonds).toEqual([expect.objectContaining({ name: "bond0", members: ["eno1", "eno2"], bridges: ["vmbr0"] })]);
    expect(host("r630-04").network).toMatchObject({ links: 1, bonds: [], unbondedLinks: [{ name: "eno1", bridges: ["vmbr0"] }] });
  });

  it("keeps an offline node in the snapshot without storages, NICs or CPU, asking it nothing", async () => {
    const ml110 = pve.world.nodes.find((n) => n.node === "ml110")!;
    ml110.status = "offline";
    try {
      const snap = await collectInventory(db, { client: client(), trigger: "manual" });
      expect(snap.status).toBe("ok");
      expect(snap.data!.nodes.find((n) => n.node === "ml110")).toMatchObject({
        status: "offline",
        storage: [],
        ifaces: [],
        cpu_model: null,
        mem_used_bytes: null,
      });
      // Had it been asked, its status call would have answered 595 and left a warning.
      expect((snap.data!.warnings ?? []).filter((w) => w.startsWith("node ml110"))).toEqual([]);
      const cap = await callerFor(db, buildViewer()).hosts.capacity({});
      // Its guests' disks stay visible, on a storage of unknown size (not 0, not "over-committed").
      expect(cap.nodes.find((n) => n.node === "ml110")).toMatchObject({
        storages: [expect.objectContaining({ storage: "local-lvm", isCapacityKnown: false, isOvercommitted: false, allocated: 4124 * 2 ** 30 })],
        storage: { total: 0, allocated: 0 },
      });
    } finally {
      ml110.status = "online";
    }
  });

  it("computes drift of the latest snapshot against the imported lab files", async () => {
    await importDeclaredFiles(db, admin, {
      conf: { content: sample("ip-addresses.conf"), name: "ip-addresses.conf" },
      doc: { content: sample("ALL_VMIDS_ENDPOINTS.md"), name: "ALL_VMIDS_ENDPOINTS.md" },
    });
    const drift = await getInventoryDrift(db);
    expect(drift).toMatchObject({ is_stale: false, error: null });
    expect(drift.counts).toEqual({
      guest_ips_not_in_ip_addresses_conf: 1,
      ip_addresses_conf_ips_not_on_guests: 1,
      vmid_ip_mismatch: 1,
      guests_only_in_doc: 1,
      guests_only_on_cluster: 1,
      duplicate_guest_ips: 1,
      // IPAM is empty here: its kinds compare nothing (drift.ipam says so), never a false alarm.
      ipam_addresses_not_on_guests: 0,
      guest_ips_not_in_ipam: 0,
      ipam_vmid_mismatch: 0,
      bindings_not_in_ipam: 0,
      bindings_on_released_addresses: 0,
      binding_mac_mismatch: 0,
      vmac_ipam_mismatch: 0,
    });
    expect(drift.ipam).toEqual({ addresses: 0, bindings: 0 });
    expect(drift.duplicate_guest_ips).toEqual([{ ip: "192.168.11.212", vmids: [2102, 9001] }]);
    expect(drift.declared.ip_addresses_conf).toMatchObject({ name: "ip-addresses.conf", entries: 47, problems: [] });
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "inventory.declared_imported"))).toHaveLength(2);
  });

  it("refuses a declared file nothing can be read from, naming the line", async () => {
    await expect(importDeclaredFiles(db, admin, { conf: { content: "A=$B\n" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("line 1"),
    });
    await expect(importDeclaredFiles(db, admin, {})).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("stores a failed snapshot with its error when Proxmox is down; the last good one stays readable, as stale", async () => {
    const before = await getLiveInventory(db);
    pve.setDown(true);
    try {
      const failed = await collectInventory(db, { client: client(), trigger: "schedule" });
      expect(failed).toMatchObject({ status: "failed", collectedAt: null, data: null, error: expect.stringContaining("503") });
    } finally {
      pve.setDown(false);
    }
    const live = await getLiveInventory(db);
    expect(live).toMatchObject({ is_stale: true, collected_at: before.collected_at, error: expect.stringContaining("503") });
    expect(live.guests).toHaveLength(41);
    const drift = await getInventoryDrift(db);
    expect(drift).toMatchObject({ is_stale: true, error: expect.stringContaining("503") });
    expect(drift.counts?.duplicate_guest_ips).toBe(1);

    // A run whose worker died long ago is closed as failed, not shown as collecting forever.
    const [dead] = await db
      .insert(inventorySnapshots)
      .values({ trigger: "schedule", startedAt: new Date(Date.now() - 2 * 3600_000) })
      .returning();
    const notConfigured = await collectInventory(db, { client: undefined, trigger: "schedule" });
    const [closed] = await db.select().from(inventorySnapshots).where(eq(inventorySnapshots.id, dead!.id));
    expect(closed).toMatchObject({ status: "failed", error: expect.stringContaining("abandoned") });
    expect(notConfigured.error).toMatch(/Proxmox is not configured/);

    // The next good collection is current again.
    await collectInventory(db, { client: client(), trigger: "manual" });
    expect(await getLiveInventory(db)).toMatchObject({ is_stale: false, error: null });
  });

  it("runs as a job: refreshes asked for together join one job, audited", async () => {
    const first = await requestInventoryRefresh(db, admin, "manual");
    const second = await requestInventoryRefresh(db, admin, "api");
    expect(second.jobId).toBe(first.jobId);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "inventory.refresh_requested"))).toHaveLength(2);
    const count = async () => (await db.select().from(inventorySnapshots)).length;
    const before = await count();
    const runner = await startWorkerRunner({
      connectionString: url,
      deps: { db, secretsKey: randomBytes(32), openJunosSession, resolveInventoryProxmox: async () => client() },
      concurrency: 1,
      logger: silentLogger,
    });
    try {
      const deadline = Date.now() + 15_000;
      // Done means the job has left the queue, not just started its snapshot row (stopping the runner
      // mid-job would leave the job behind for the next test to find).
      const jobsLeft = async () =>
        Number((await db.execute<{ n: string }>(sql`select count(*) as n from graphile_worker.jobs where task_identifier = 'collect-inventory'`))[0]!.n);
      while ((await count()) === before || (await getLiveInventory(db)).is_stale || (await jobsLeft()) > 0) {
        if (Date.now() > deadline) throw new Error("timed out waiting for the collection job");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await runner.stop();
    }
    const rows = await db.select().from(inventorySnapshots).orderBy(inventorySnapshots.id);
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ status: "ok", trigger: "api" });
  });

  it("queues a scheduled collection only in the minute the settings' schedule fires", async () => {
    const pending = async () =>
      Number((await db.execute<{ n: string }>(sql`select count(*) as n from graphile_worker.jobs where task_identifier = 'collect-inventory'`))[0]!.n);
    const task = createInventorySchedulerTask({ db, secretsKey: randomBytes(32), openJunosSession });
    const run = (ts: string) => task({ _cron: { ts } }, {} as Parameters<typeof task>[1]);
    expect(await pending()).toBe(0);
    await run("2026-11-24T04:00:00Z"); // a Tuesday: the weekly default (Mondays 04:00) does not fire
    expect(await pending()).toBe(0);
    await run("2026-11-23T04:00:00Z");
    expect(await pending()).toBe(1);
    await updateSettings(db, admin, { inventorySchedule: "0 4 * * 2" });
    await run("2026-11-24T04:00:00Z");
    expect(await pending()).toBe(1); // joined the waiting one
  });
});
