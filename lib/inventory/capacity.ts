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
