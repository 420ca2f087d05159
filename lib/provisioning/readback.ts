import { parseDiskValue, parseNetValue } from "./guest-config";
import type { ProvisioningPlan } from "./plan";

// Proxmox answering 200 (or a task ending OK) says the call was taken, not that the guest now holds
// what was planned: another admin, a hookscript or a pending (not yet applied) change can leave it
// otherwise. So the config is read back and compared before the job or IPAM says "done".
// Proxmox writes property strings back in its own order and adds defaults (LXC `type=veth`, the
// `hwaddr` it made up), so a planned value holds when each of its key=value pairs is in the one read.

/** The planned pairs missing from the value read (case-insensitive: MACs come back in upper case). */
function findMissingPairs(planned: string, seen: unknown): string[] {
  const have = new Map(typeof seen === "string" ? parseNetValue(seen).map(([k, v]) => [k, v.toLowerCase()] as const) : []);
  return parseNetValue(planned)
    .filter(([k, v]) => have.get(k) !== v.toLowerCase())
    .map(([k, v]) => (v === "" ? k : `${k}=${v}`));
}

const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));

/**
 * What the config read back lacks of the plan, one line each (empty: it holds everything planned).
 * Checked: config values set (`net0`, `ipconfig0`), a grown disk's size, and a created container's
 * hostname, cores, memory, root disk and network.
 */
export function findReadbackMismatches(plan: Pick<ProvisioningPlan, "calls">, config: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const call of plan.calls) {
    const effect = call.effect;
    if (effect?.kind === "config") {
      const missing = findMissingPairs(effect.value, config[effect.key]);
      if (missing.length) out.push(`${effect.key} reads ${show(config[effect.key])}, without the planned ${missing.join(",")}`);
    }
    if (effect?.kind === "disk-size") {
      const value = config[effect.disk];
      const disk = typeof value === "string" ? parseDiskValue(value) : null;
      if (disk?.sizeGiB == null || disk.sizeGiB < effect.atLeastGiB)
        out.push(`${effect.disk} reads ${show(value)}, not the planned ${effect.atLeastGiB} GiB or more`);
    }
    if (effect?.kind === "exists") {
      const p = call.params;
      for (const key of ["hostname", "cores", "memory"] as const) {
        if (p[key] !== undefined && String(config[key]) !== String(p[key])) out.push(`${key} reads ${show(config[key])}, not the planned ${p[key]}`);
      }
      if (typeof p.rootfs === "string") {
        const [storage, size] = p.rootfs.split(":");
        const disk = typeof config.rootfs === "string" ? parseDiskValue(config.rootfs) : null;
        if (!disk || disk.storage !== storage || disk.sizeGiB !== Number(size))
          out.push(`rootfs reads ${show(config.rootfs)}, not ${size} GiB on ${storage} as planned`);
      }
      if (typeof p.net0 === "string") {
        const missing = findMissingPairs(p.net0, config.net0);
        if (missing.length) out.push(`net0 reads ${show(config.net0)}, without the planned ${missing.join(",")}`);
      }
    }
  }
  return out;
}

/** Whether the plan changed anything the config shows (power jobs do not). */
export function hasConfigEffect(plan: Pick<ProvisioningPlan, "calls">): boolean {
  return plan.calls.some((c) => c.effect?.kind === "config" || c.effect?.kind === "disk-size" || c.effect?.kind === "exists");
}
