// npm run bench:drift — drift of 10k live guests against 10k declared entries (conf + VMID doc),
// beside a lower bound measured in the same run: one pass that only indexes the same inputs.
import { mkdirSync, writeFileSync } from "node:fs";
import { computeInventoryDrift, type LiveGuest } from "@/lib/inventory/drift";
import type { ConfEntry } from "@/lib/inventory/ip-addresses-conf";
import type { VmidRow } from "@/lib/inventory/vmid-table";

const N = 10_000;
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
// Realistic mess: 2% of guests undeclared, 2% of entries without a guest, 1% duplicated addresses.
const guests: LiveGuest[] = Array.from({ length: N }, (_, i) => ({
  vmid: 1000 + i,
  name: `vm-${i}`,
  node: `node-${i % 12}`,
  type: i % 3 ? "qemu" : "lxc",
  ips: [ip(i % 100 === 0 ? i + 1 : i)],
}));
const conf: ConfEntry[] = Array.from({ length: N }, (_, i) => ({ key: `VM_${i}`, ip: ip(i % 50 === 0 ? N + i : i), line: i + 1 }));
const doc: VmidRow[] = Array.from({ length: N }, (_, i) => ({ vmid: 1000 + (i % 50 === 1 ? N + i : i), name: `vm-${i}`, ips: [ip(i)], line: i + 1 }));

function median(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const lowerBound = median(15, () => {
  const s = new Set(conf.map((e) => e.ip));
  const m = new Map(guests.map((g) => [g.vmid, g]));
  const d = new Map(doc.map((r) => [r.vmid, r]));
  let hits = 0;
  for (const g of guests) for (const a of g.ips) if (s.has(a)) hits++;
  return hits + m.size + d.size;
});
const ms = median(15, () => computeInventoryDrift({ guests, conf, doc }));
const drift = computeInventoryDrift({ guests, conf, doc });
const result = {
  guests: N,
  declared: conf.length + doc.length,
  ms: Number(ms.toFixed(2)),
  lower_bound_ms: Number(lowerBound.toFixed(2)),
  ratio: Number((ms / lowerBound).toFixed(2)),
  found: Object.fromEntries(Object.entries(drift).map(([k, v]) => [k, v.length])),
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/drift.json", `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
