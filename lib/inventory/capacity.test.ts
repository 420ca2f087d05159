import { describe, expect, it } from "vitest";
import {
  computeLocalGuestStorage,
  computeNetworkCapacity,
  computeNodeCapacity,
  computeStorageAllocation,
  suggestPlacement,
  type CapacityGuest,
  type CapacityNode,
  type IfaceInput,
  type StorageInput,
} from "./capacity";

const GiB = 2 ** 30;
const node = (name: string, cpus: number, memGiB: number, over: Partial<CapacityNode> = {}): CapacityNode => ({
  node: name,
  status: "online",
  cpus,
  memBytes: memGiB * GiB,
  diskBytes: 1000 * GiB,
  cpuUsed: null,
  memUsedBytes: null,
  diskUsedBytes: null,
  ...over,
});
const guest = (n: string, vmid: number, cpus: number, memGiB: number, status = "running"): CapacityGuest => ({
  node: n,
  vmid,
  status,
  cpus,
  memBytes: memGiB * GiB,
  diskBytes: 50 * GiB,
});

describe("host capacity", () => {
  const nodes = [node("pve-01", 16, 64, { cpuUsed: 0.25, memUsedBytes: 40 * GiB }), node("pve-02", 8, 32), node("pve-03", 8, 32, { status: "offline" })];
  const guests = [guest("pve-01", 1, 12, 48), guest("pve-01", 2, 8, 24, "stopped"), guest("pve-02", 3, 2, 8)];

  it("sums what guests are given, running or stopped, and flags RAM overcommit", () => {
    const [a, b] = computeNodeCapacity(nodes, guests);
    expect(a).toMatchObject({ node: "pve-01", guests: 2, runningGuests: 1, isMemOvercommitted: true, isCpuOvercommitted: true });
    expect(a!.mem).toEqual({ total: 64 * GiB, allocated: 72 * GiB, used: 40 * GiB, ratio: 72 / 64 });
    expect(a!.cpu).toMatchObject({ allocated: 20, used: 4 });
    expect(b).toMatchObject({ node: "pve-02", isMemOvercommitted: false, cpu: { ratio: 0.25, used: null } });
  });

  it("suggests spare online nodes first and never one the workload would push past its RAM", () => {
    const cap = computeNodeCapacity(nodes, guests);
    expect(suggestPlacement(cap, { cpus: 2, memBytes: 8 * GiB, diskBytes: 20 * GiB }).map((p) => p.node)).toEqual(["pve-02"]);
    const empty = computeNodeCapacity([...nodes, node("pve-04", 8, 32)], guests);
    expect(suggestPlacement(empty, { cpus: 2, memBytes: 8 * GiB, diskBytes: 20 * GiB }).map((p) => p.node)).toEqual(["pve-04", "pve-02"]);
    expect(suggestPlacement(empty, { cpus: 2, memBytes: 40 * GiB, diskBytes: 0 })).toEqual([]);
  });
});

describe("storage allocation", () => {
  const TiB = 2 ** 40;
  const st = (n: string, storage: string, over: Partial<StorageInput> = {}): StorageInput => ({
    node: n,
    storage,
    type: "lvmthin",
    isShared: false,
    total: 1 * TiB,
    used: 100 * GiB,
    avail: 924 * GiB,
    content: ["images", "rootdir"],
    volumes: null,
    ...over,
  });
  const ceph = (n: string, over: Partial<StorageInput> = {}) =>
    st(n, "ceph-vm", { type: "rbd", isShared: true, total: 10 * TiB, used: 2 * TiB, avail: 8 * TiB, ...over });
  const storages = [
    st("pve-01", "local-lvm"),
    st("pve-01", "local", { type: "dir", total: 100 * GiB, content: ["iso", "vztmpl"] }),
    st("pve-02", "local-lvm", { total: 2 * TiB }),
    ceph("pve-01"),
    ceph("pve-02"),
    // A node that cannot reach the pool reports it empty: the pool's size is the reachable nodes' figure.
    ceph("pve-03", { total: 0, used: 0, avail: 0 }),
  ];
  const disks = [
    { node: "pve-01", vmid: 101, storage: "local-lvm", sizeBytes: 800 * GiB },
    { node: "pve-01", vmid: 102, storage: "local-lvm", sizeBytes: 400 * GiB },
    { node: "pve-01", vmid: 102, storage: "local-lvm", sizeBytes: null },
    { node: "pve-02", vmid: 201, storage: "local-lvm", sizeBytes: 100 * GiB },
    { node: "pve-01", vmid: 101, storage: "ceph-vm", sizeBytes: 3 * TiB },
    { node: "pve-02", vmid: 201, storage: "ceph-vm", sizeBytes: 2 * TiB },
  ];

  it("sums guests' disks per local storage and flags thin over-commit as a ratio", () => {
    const rows = computeStorageAllocation(storages, disks);
    const lvm1 = rows.find((r) => r.node === "pve-01" && r.storage === "local-lvm")!;
    expect(lvm1).toMatchObject({ isShared: false, allocated: 1200 * GiB, disks: 3, disksOfUnknownSize: 1, isOvercommitted: true, free: 924 * GiB });
    expect(lvm1.ratio).toBeCloseTo(1200 / 1024);
    expect(rows.find((r) => r.node === "pve-02" && r.storage === "local-lvm")).toMatchObject({ allocated: 100 * GiB, isOvercommitted: false });
    // Who holds it, largest first: one line per guest, its disks summed.
    expect(lvm1.guests).toEqual([
      { vmid: 101, name: "", node: "pve-01", bytes: 800 * GiB },
      { vmid: 102, name: "", node: "pve-01", bytes: 400 * GiB },
    ]);
    // Same storage name on two nodes: two pools, never merged.
    expect(rows.filter((r) => r.storage === "local-lvm")).toHaveLength(2);
  });

  it("counts a shared storage once for the cluster, with every node's guests' disks on it", () => {
    const rows = computeStorageAllocation(storages, disks);
    const shared = rows.filter((r) => r.storage === "ceph-vm");
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ node: null, nodes: ["pve-01", "pve-02", "pve-03"], total: 10 * TiB, used: 2 * TiB, allocated: 5 * TiB, ratio: 0.5 });
    // Shared pools come after the local ones.
    expect(rows.at(-1)!.storage).toBe("ceph-vm");
  });

  it("sums only a node's local guest storages for its bar: not ISO/template directories, not shared pools", () => {
    const rows = computeStorageAllocation(storages, disks);
    expect(computeLocalGuestStorage(rows, "pve-01")).toEqual({ total: 1 * TiB, used: 100 * GiB, allocated: 1200 * GiB, ratio: 1200 / 1024 });
    expect(computeLocalGuestStorage(rows, "pve-03")).toEqual({ total: 0, used: 0, allocated: 0, ratio: 0 });
  });

  it("shows a disk on a storage the node did not list, with the size unknown rather than 0", () => {
    const rows = computeStorageAllocation([], [{ node: "pve-09", vmid: 9, storage: "hidden", sizeBytes: 10 * GiB }]);
    expect(rows).toEqual([
      expect.objectContaining({ storage: "hidden", node: "pve-09", type: "unknown", isCapacityKnown: false, allocated: 10 * GiB, isOvercommitted: false }),
    ]);
    // Not summed into the node's bar: an unknown size is not a full one.
    expect(computeLocalGuestStorage(rows, "pve-09")).toEqual({ total: 0, used: 0, allocated: 0, ratio: 0 });
  });

  it("takes a detached disk's size from the storage's volume list and counts volumes no config names", () => {
    const withVolumes = [
      st("pve-01", "local-lvm", {
        volumes: [
          { volid: "local-lvm:vm-101-disk-0", vmid: 101, sizeBytes: 800 * GiB },
          { volid: "local-lvm:vm-101-disk-1", vmid: 101, sizeBytes: 50 * GiB },
          { volid: "local-lvm:vm-999-disk-0", vmid: 999, sizeBytes: 300 * GiB },
        ],
      }),
      // The same pool listed from two nodes: its volumes once.
      ceph("pve-01", { volumes: [{ volid: "ceph-vm:vm-5-disk-0", vmid: 5, sizeBytes: 1 * TiB }] }),
      ceph("pve-02", { volumes: [{ volid: "ceph-vm:vm-5-disk-0", vmid: 5, sizeBytes: 1 * TiB }] }),
    ];
    const rows = computeStorageAllocation(withVolumes, [
      { node: "pve-01", vmid: 101, storage: "local-lvm", volid: "local-lvm:vm-101-disk-0", sizeBytes: 800 * GiB },
      { node: "pve-01", vmid: 101, storage: "local-lvm", volid: "local-lvm:vm-101-disk-1", sizeBytes: null },
    ]);
    const lvm = rows.find((r) => r.storage === "local-lvm")!;
    expect(lvm).toMatchObject({ allocated: 850 * GiB, disksOfUnknownSize: 0, provisioned: 1150 * GiB, isOvercommitted: true });
    expect(lvm.unreferenced).toEqual([{ volid: "local-lvm:vm-999-disk-0", vmid: 999, bytes: 300 * GiB }]);
    expect(rows.find((r) => r.storage === "ceph-vm")).toMatchObject({
      allocated: 0,
      provisioned: 1 * TiB,
      unreferenced: [{ volid: "ceph-vm:vm-5-disk-0", vmid: 5, bytes: 1 * TiB }],
    });
    expect(computeLocalGuestStorage(rows, "pve-01").allocated).toBe(1150 * GiB);
  });

  it("treats storages of snapshots without content types as able to hold guest disks", () => {
    const rows = computeStorageAllocation([st("old", "local-lvm", { content: null, avail: null })], []);
    expect(rows[0]).toMatchObject({ isGuestStorage: true, free: 1 * TiB - 100 * GiB });
  });
});

describe("network capacity", () => {
  const nic = (iface: string, over: Partial<IfaceInput> = {}): IfaceInput => ({
    iface,
    type: "eth",
    isActive: true,
    bondMembers: [],
    bondMode: null,
    bridgePorts: [],
    speedMbps: null,
    ...over,
  });

  it("lists bond members and links, with speed unknown when Proxmox does not give it (never 0)", () => {
    const net = computeNetworkCapacity([
      nic("eno1"),
      nic("eno2"),
      nic("eno3", { isActive: false }),
      nic("bond0", { type: "bond", bondMembers: ["eno1", "eno2"], bondMode: "802.3ad" }),
      nic("vmbr0", { type: "bridge", bridgePorts: ["bond0"] }),
      nic("vmbr1", { type: "bridge", bridgePorts: ["eno3"] }),
    ]);
    expect(net).toMatchObject({ links: 3, activeLinks: 2, totalSpeedMbps: null });
    expect(net.bonds).toEqual([
      { name: "bond0", mode: "802.3ad", members: ["eno1", "eno2"], activeMembers: 2, isActive: true, speedMbps: null, bridges: ["vmbr0"] },
    ]);
    expect(net.unbondedLinks).toEqual([{ name: "eno3", isActive: false, speedMbps: null, bridges: ["vmbr1"] }]);
  });

  it("adds up LACP members' speeds, takes one link's for active-backup, once every speed is known", () => {
    const lacp = computeNetworkCapacity([
      nic("a", { speedMbps: 10_000 }),
      nic("b", { speedMbps: 10_000 }),
      nic("bond0", { type: "bond", bondMembers: ["a", "b"], bondMode: "802.3ad" }),
    ]);
    expect(lacp.bonds[0]!.speedMbps).toBe(20_000);
    expect(lacp.totalSpeedMbps).toBe(20_000);
    const backup = computeNetworkCapacity([
      nic("a", { speedMbps: 10_000 }),
      nic("b", { speedMbps: 1_000 }),
      nic("bond1", { type: "bond", bondMembers: ["a", "b"], bondMode: "active-backup" }),
    ]);
    expect(backup.bonds[0]!.speedMbps).toBe(10_000);
    const partly = computeNetworkCapacity([
      nic("a", { speedMbps: 10_000 }),
      nic("b"),
      nic("bond0", { type: "bond", bondMembers: ["a", "b"], bondMode: "802.3ad" }),
    ]);
    expect(partly.bonds[0]!.speedMbps).toBeNull();
  });
});
