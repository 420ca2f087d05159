// Host capacity from an inventory snapshot: per node, what it has, what its guests are given, what
// they use, and where a new workload fits. Plain data in, plain data out.

export interface CapacityNode {
  node: string;
  status: string;
  cpus: number;
  memBytes: number;
  diskBytes: number;
  /** Live use where Proxmox reported it (fraction of CPUs, bytes); null when unknown. */
  cpuUsed: number | null;
  memUsedBytes: number | null;
  diskUsedBytes: number | null;
}

export interface CapacityGuest {
  node: string;
  vmid: number;
  status: string;
  cpus: number;
  memBytes: number;
  diskBytes: number;
}

export interface NodeCapacity {
  node: string;
  status: string;
  guests: number;
  runningGuests: number;
  cpu: { total: number; allocated: number; used: number | null; ratio: number };
  mem: { total: number; allocated: number; used: number | null; ratio: number };
  disk: { total: number; allocated: number; used: number | null; ratio: number };
  /** RAM given out beyond the node's RAM is the overcommit that hurts; CPU over 1.0 is usual. */
  isMemOvercommitted: boolean;
  isCpuOvercommitted: boolean;
}

const ratio = (allocated: number, total: number) => (total > 0 ? allocated / total : allocated > 0 ? Infinity : 0);

/** Every node's capacity against what its guests (running or not: a stopped guest can start) are given. */
export function computeNodeCapacity(nodes: readonly CapacityNode[], guests: readonly CapacityGuest[]): NodeCapacity[] {
  const byNode = new Map<string, CapacityGuest[]>();
  for (const g of guests) byNode.set(g.node, [...(byNode.get(g.node) ?? []), g]);
  return nodes
    .map((n) => {
      const list = byNode.get(n.node) ?? [];
      const sum = (f: (g: CapacityGuest) => number) => list.reduce((a, g) => a + f(g), 0);
      const cpu = { total: n.cpus, allocated: sum((g) => g.cpus), used: n.cpuUsed === null ? null : n.cpuUsed * n.cpus, ratio: 0 };
      const mem = { total: n.memBytes, allocated: sum((g) => g.memBytes), used: n.memUsedBytes, ratio: 0 };
      const disk = { total: n.diskBytes, allocated: sum((g) => g.diskBytes), used: n.diskUsedBytes, ratio: 0 };
      for (const r of [cpu, mem, disk]) r.ratio = ratio(r.allocated, r.total);
      return {
        node: n.node,
        status: n.status,
        guests: list.length,
        runningGuests: list.filter((g) => g.status === "running").length,
        cpu,
        mem,
        disk,
        isMemOvercommitted: mem.ratio > 1,
        isCpuOvercommitted: cpu.ratio > 1,
      };
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}

export interface Placement {
  node: string;
  /** RAM and disk allocation after placing the workload. */
  memRatioAfter: number;
  diskRatioAfter: number;
  cpuRatioAfter: number;
}

/**
 * Where a new workload fits: online nodes whose RAM and disk stay within capacity after it,
 * spare nodes first (least RAM given out, then least CPU). CPU may be overcommitted up to the limit.
 */
export function suggestPlacement(
  capacity: readonly NodeCapacity[],
  want: { cpus: number; memBytes: number; diskBytes: number },
  opts: { maxCpuRatio?: number } = {},
): Placement[] {
  const maxCpu = opts.maxCpuRatio ?? 4;
  return capacity
    .filter((n) => n.status === "online")
    .map((n) => ({
      node: n.node,
      memRatioAfter: ratio(n.mem.allocated + want.memBytes, n.mem.total),
      diskRatioAfter: ratio(n.disk.allocated + want.diskBytes, n.disk.total),
      cpuRatioAfter: ratio(n.cpu.allocated + want.cpus, n.cpu.total),
    }))
    .filter((p) => p.memRatioAfter <= 1 && p.diskRatioAfter <= 1 && p.cpuRatioAfter <= maxCpu)
    .sort((a, b) => a.memRatioAfter - b.memRatioAfter || a.cpuRatioAfter - b.cpuRatioAfter || a.node.localeCompare(b.node));
}

// Storage: capacity against what guests' disks are given, per storage. A shared storage (NFS, Ceph)
// is one pool every node sees: it is one row for the cluster, counted once, never once per node.
// Thin pools (lvmthin, zfs, rbd, qcow2 on a directory) let disks be given out beyond the pool's size:
// that over-commit is shown as allocated / capacity, not hidden as "full".

export interface StorageInput {
  node: string;
  storage: string;
  type: string;
  isShared: boolean;
  total: number;
  used: number;
  /** What Proxmox says can still be written; null in older snapshots (then total − used). */
  avail: number | null;
  /** Content types; null in older snapshots (treated as able to hold guest disks). */
  content: string[] | null;
  /** The storage's guest volumes as it lists them; null when not read (older snapshots, not a guest storage). */
  volumes: Array<{ volid: string; vmid: number | null; sizeBytes: number | null }> | null;
}

export interface DiskInput {
  node: string;
  vmid: number;
  /** The guest's name, to list who holds the space. */
  name?: string;
  storage: string;
  /** `STORAGE:VOLUME`, to match the storage's volume list; absent in older snapshots. */
  volid?: string;
  /** Null when the config gives no size (a detached disk). */
  sizeBytes: number | null;
}

export interface StorageAllocation {
  storage: string;
  /** The node for a local storage; null for a shared one (the cluster's). */
  node: string | null;
  /** Nodes that list it (one for a local storage). */
  nodes: string[];
  type: string;
  isShared: boolean;
  content: string[] | null;
  /** Can hold guest disks (`images` or `rootdir`). */
  isGuestStorage: boolean;
  /**
   * False for a storage known only from guests' disks: its node did not list it (offline, not read,
   * or the token may not audit it). Its size is then unknown, not 0, and nothing is over-committed.
   */
  isCapacityKnown: boolean;
  total: number;
  used: number;
  free: number;
  /** Sum of the sizes of guests' disks on it (a size the config omits is taken from the volume list). */
  allocated: number;
  disks: number;
  /** Disks whose size neither the config nor the volume list gives (counted, not summed). */
  disksOfUnknownSize: number;
  /** Who holds the space: per guest, its disks on this storage summed, largest first. */
  guests: Array<{ vmid: number; name: string; node: string; bytes: number }>;
  /** Volumes on the storage that no guest config names (left behind by a deleted guest…); [] when the list was not read. */
  unreferenced: Array<{ volid: string; vmid: number | null; bytes: number }>;
  /** Guests' disks and unreferenced volumes: all the storage has given out. */
  provisioned: number;
  /** provisioned / total; above 1 is thin-provisioning over-commit. */
  ratio: number;
  isOvercommitted: boolean;
}

const isGuestContent = (content: string[] | null) => content === null || content.includes("images") || content.includes("rootdir");

interface StorageRow {
  first: StorageInput;
  isCapacityKnown: boolean;
  nodes: string[];
  total: number;
  used: number;
  free: number;
  /** Null until some node's entry carried a list. */
  volumes: Map<string, { volid: string; vmid: number | null; sizeBytes: number | null }> | null;
  disks: DiskInput[];
}

/** Every storage once (local: per node; shared: once for the cluster) with its guests' disks summed on it. */
export function computeStorageAllocation(storages: readonly StorageInput[], disks: readonly DiskInput[]): StorageAllocation[] {
  const rows = new Map<string, StorageRow>();
  const keyOf = (storage: string, node: string, isShared: boolean) => (isShared ? `shared:${storage}` : `${node}:${storage}`);
  const sharedIds = new Set(storages.filter((s) => s.isShared).map((s) => s.storage));
  for (const s of storages) {
    const key = keyOf(s.storage, s.node, s.isShared);
    const free = s.avail ?? Math.max(0, s.total - s.used);
    let row = rows.get(key);
    if (!row) {
      row = { first: s, isCapacityKnown: true, nodes: [], total: s.total, used: s.used, free, volumes: null, disks: [] };
      rows.set(key, row);
    } else if (s.total > row.total) {
      // Every node reports the same pool; a node that cannot reach it reports 0: keep the largest report.
      Object.assign(row, { total: s.total, used: s.used, free });
    }
    row.nodes.push(s.node);
    // A shared pool's list may come from any node (or several): the same volumes, once each.
    if (s.volumes) {
      row.volumes ??= new Map();
      for (const v of s.volumes) row.volumes.set(v.volid, v);
    }
  }
  for (const d of disks) {
    const key = keyOf(d.storage, d.node, sharedIds.has(d.storage));
    let row = rows.get(key);
    if (!row) {
      // A disk on a storage its node did not list (offline, not read, not auditable): shown, size unknown.
      const unknown = { node: d.node, storage: d.storage, type: "unknown", isShared: false, total: 0, used: 0, avail: 0, content: null, volumes: null };
      row = { first: unknown, isCapacityKnown: false, nodes: [d.node], total: 0, used: 0, free: 0, volumes: null, disks: [] };
      rows.set(key, row);
    }
    row.disks.push(d);
  }
  return [...rows.values()]
    .map((r): StorageAllocation => {
      const guests = new Map<string, { vmid: number; name: string; node: string; bytes: number }>();
      let allocated = 0;
      let disksOfUnknownSize = 0;
      for (const d of r.disks) {
        const size = d.sizeBytes ?? (d.volid ? (r.volumes?.get(d.volid)?.sizeBytes ?? null) : null);
        if (size === null) disksOfUnknownSize += 1;
        allocated += size ?? 0;
        const holder = guests.get(`${d.node}:${d.vmid}`) ?? { vmid: d.vmid, name: d.name ?? "", node: d.node, bytes: 0 };
        holder.bytes += size ?? 0;
        guests.set(`${d.node}:${d.vmid}`, holder);
      }
      const named = new Set(r.disks.map((d) => d.volid).filter(Boolean));
      const unreferenced = [...(r.volumes?.values() ?? [])]
        .filter((v) => !named.has(v.volid))
        .map((v) => ({ volid: v.volid, vmid: v.vmid, bytes: v.sizeBytes ?? 0 }))
        .sort((a, b) => a.volid.localeCompare(b.volid));
      const provisioned = allocated + unreferenced.reduce((a, v) => a + v.bytes, 0);
      return {
        storage: r.first.storage,
        node: r.first.isShared ? null : r.first.node,
        nodes: [...new Set(r.nodes)].sort(),
        type: r.first.type,
        isShared: r.first.isShared,
        content: r.first.content,
        isGuestStorage: isGuestContent(r.first.content),
        isCapacityKnown: r.isCapacityKnown,
        total: r.total,
        used: r.used,
        free: r.free,
        allocated,
        disks: r.disks.length,
        disksOfUnknownSize,
        guests: [...guests.values()].sort((a, b) => b.bytes - a.bytes || a.vmid - b.vmid),
        unreferenced,
        provisioned,
        ratio: ratio(provisioned, r.total),
        isOvercommitted: r.isCapacityKnown && provisioned > r.total,
      };
    })
    .sort((a, b) => Number(a.isShared) - Number(b.isShared) || (a.node ?? "").localeCompare(b.node ?? "") || a.storage.localeCompare(b.storage));
}

/** A node's local storages that hold guest disks, summed: what placement and the node's bar read. */
export function computeLocalGuestStorage(
  allocation: readonly StorageAllocation[],
  node: string,
): { total: number; used: number; allocated: number; ratio: number } {
  // A storage of unknown size would make any allocation look infinite: it is listed, not summed.
  const local = allocation.filter((s) => s.node === node && !s.isShared && s.isGuestStorage && s.isCapacityKnown);
  const sum = (f: (s: StorageAllocation) => number) => local.reduce((a, s) => a + f(s), 0);
  const total = sum((s) => s.total);
  // What the pools have given out, guests' disks and volumes no config names alike.
  const allocated = sum((s) => s.provisioned);
  return { total, used: sum((s) => s.used), allocated, ratio: ratio(allocated, total) };
}

// Network: what a node's uplinks are, from its interfaces. Proxmox's network API gives no link speed,
// so speeds are unknown (null) unless a source that knows them is added; a sum is only given when
// every member's speed is known.

export interface IfaceInput {
  iface: string;
  type: string;
  isActive: boolean;
  bondMembers: string[];
  bondMode: string | null;
  bridgePorts: string[];
  speedMbps: number | null;
}

export interface BondCapacity {
  name: string;
  mode: string | null;
  members: string[];
  activeMembers: number;
  isActive: boolean;
  /** Aggregate for LACP / balance modes, one link's for active-backup; null when any member's speed is unknown. */
  speedMbps: number | null;
  /** The bridge(s) the bond carries (`vmbr0`). */
  bridges: string[];
}

export interface NetworkCapacity {
  /** Physical NICs (`eth`). */
  links: number;
  activeLinks: number;
  bonds: BondCapacity[];
  /** Physical NICs in no bond. */
  unbondedLinks: Array<{ name: string; isActive: boolean; speedMbps: number | null; bridges: string[] }>;
  /** Every active physical link's speed added up; null when any is unknown (Proxmox does not report speeds). */
  totalSpeedMbps: number | null;
}

const sumKnown = (speeds: Array<number | null>) => (speeds.some((s) => s === null) ? null : (speeds as number[]).reduce((a, s) => a + s, 0));

export function computeNetworkCapacity(ifaces: readonly IfaceInput[]): NetworkCapacity {
  const byName = new Map(ifaces.map((i) => [i.iface, i]));
  const physical = ifaces.filter((i) => i.type === "eth");
  const bridgesOf = (name: string) => ifaces.filter((i) => i.type === "bridge" && i.bridgePorts.includes(name)).map((i) => i.iface);
  const bonds = ifaces
    .filter((i) => i.type === "bond")
    .map((b) => {
      const members = b.bondMembers.map((m) => byName.get(m));
      const active = members.filter((m) => m?.isActive);
      const speeds = active.map((m) => m!.speedMbps);
      const isBackup = b.bondMode === "active-backup";
      return {
        name: b.iface,
        mode: b.bondMode,
        members: b.bondMembers,
        activeMembers: active.length,
        isActive: b.isActive,
        speedMbps: speeds.length === 0 ? null : isBackup ? (speeds.some((s) => s === null) ? null : Math.max(...(speeds as number[]))) : sumKnown(speeds),
        bridges: bridgesOf(b.iface),
      };
    });
  const bonded = new Set(bonds.flatMap((b) => b.members));
  const activePhysical = physical.filter((p) => p.isActive);
  return {
    links: physical.length,
    activeLinks: activePhysical.length,
    bonds,
    unbondedLinks: physical
      .filter((p) => !bonded.has(p.iface))
      .map((p) => ({ name: p.iface, isActive: p.isActive, speedMbps: p.speedMbps, bridges: bridgesOf(p.iface) })),
    totalSpeedMbps: activePhysical.length === 0 ? null : sumKnown(activePhysical.map((p) => p.speedMbps)),
  };
}
