// Pure: what the hosts page and the capacity history compute from one inventory snapshot.
import {
  computeLocalGuestStorage,
  computeNetworkCapacity,
  computeNodeCapacity,
  computeStorageAllocation,
  suggestPlacement,
  type NetworkCapacity,
  type NodeCapacity,
  type Placement,
  type StorageAllocation,
} from "./capacity";
import type { LiveInventoryData } from "./snapshot";

export interface HostCapacityReport {
  nodes: Array<
    NodeCapacity & {
      /** The node's local guest storages summed (what its bar shows); `allocated` is its guests' disks on them. */
      storage: { total: number; used: number; allocated: number; ratio: number };
      /** Local storages of this node, then the shared ones it sees. */
      storages: StorageAllocation[];
      /** Null for a snapshot taken before NICs were collected. */
      network: NetworkCapacity | null;
      cpuModel: string | null;
      cpuSockets: number | null;
      cpuCores: number | null;
    }
  >;
  /** Shared storages, once for the cluster. */
  sharedStorages: StorageAllocation[];
  placements: Placement[] | null;
}

/**
 * Per node, from one inventory snapshot: CPU and RAM against what guests are given and what they
 * use; storages against their guests' disks (local per node, shared once); NICs and bonds; and —
 * when a workload is described — where it fits, spare first. A snapshot from before disks, NICs or
 * CPU were collected still gives an answer: those parts are empty or null. The hosts page and the
 * capacity history (written per collection) both read this, so they show the same figures.
 */
export function computeHostCapacity(
  data: Pick<LiveInventoryData, "nodes" | "guests"> | null | undefined,
  want?: { cpus: number; memBytes: number; diskBytes: number },
): HostCapacityReport {
  const nodes = data?.nodes ?? [];
  const guests = data?.guests ?? [];
  const allocation = computeStorageAllocation(
    nodes.flatMap((n) =>
      n.storage.map((s) => ({
        node: n.node,
        storage: s.storage,
        type: s.type,
        isShared: s.is_shared,
        total: s.total_bytes,
        used: s.used_bytes,
        avail: s.avail_bytes ?? null,
        content: s.content ?? null,
        volumes: s.volumes?.map((v) => ({ volid: v.volid, vmid: v.vmid, sizeBytes: v.size_bytes })) ?? null,
      })),
    ),
    guests.flatMap((g) =>
      (g.disks ?? []).map((d) => ({ node: g.node, vmid: g.vmid, name: g.name, storage: d.storage, volid: d.volid, sizeBytes: d.size_bytes })),
    ),
  );
  const local = new Map(nodes.map((n) => [n.node, computeLocalGuestStorage(allocation, n.node)]));
  // A guest's disk allocation on its node is what it has on the node's local guest storages.
  const localKeys = new Set(allocation.filter((s) => !s.isShared && s.isGuestStorage && s.isCapacityKnown && s.node).map((s) => `${s.node}:${s.storage}`));
  const capacity = computeNodeCapacity(
    nodes.map((n) => ({
      node: n.node,
      status: n.status,
      cpus: n.cpus,
      memBytes: n.mem_total_bytes,
      diskBytes: local.get(n.node)!.total,
      cpuUsed: n.cpu_load,
      memUsedBytes: n.mem_used_bytes,
      diskUsedBytes: local.get(n.node)!.used,
    })),
    guests.map((g) => ({
      node: g.node,
      vmid: g.vmid,
      status: g.status,
      cpus: g.cpus,
      memBytes: g.mem_bytes,
      diskBytes: (g.disks ?? []).filter((d) => localKeys.has(`${g.node}:${d.storage}`)).reduce((a, d) => a + (d.size_bytes ?? 0), 0),
    })),
  );
  const byNode = new Map(nodes.map((n) => [n.node, n]));
  return {
    nodes: capacity.map((c) => {
      const n = byNode.get(c.node)!;
      return {
        ...c,
        storage: local.get(c.node)!,
        storages: allocation.filter((s) => s.node === c.node || (s.isShared && s.nodes.includes(c.node))),
        network: n.ifaces
          ? computeNetworkCapacity(
              n.ifaces.map((i) => ({
                iface: i.iface,
                type: i.type,
                isActive: i.is_active,
                bondMembers: i.bond_members,
                bondMode: i.bond_mode,
                bridgePorts: i.bridge_ports,
                speedMbps: i.speed_mbps,
              })),
            )
          : null,
        cpuModel: n.cpu_model ?? null,
        cpuSockets: n.cpu_sockets ?? null,
        cpuCores: n.cpu_cores ?? null,
      };
    }),
    sharedStorages: allocation.filter((s) => s.isShared),
    // A thin pool's volumes can grow to what they were given (guests' disks and volumes no config
    // names), and a full pool is full whatever was given: placement counts the larger of the two, so
    // a snapshot without disks falls back to use.
    placements: want
      ? suggestPlacement(
          capacity.map((c) => ({ ...c, disk: { ...c.disk, allocated: Math.max(local.get(c.node)!.allocated, c.disk.used ?? 0) } })),
          want,
        )
      : null,
  };
}
