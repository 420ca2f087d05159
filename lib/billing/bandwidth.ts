import type { BandwidthSample } from "./percentile";

// A server's traffic as billing stores it: one sample per 5-minute slot, every port of the server
// added up (a bonded server is billed for both links), in bits per second.

export const SAMPLE_SECONDS = 300;
/** Slots in 30 days: the window of Tenantos's own 95th figures. */
export const SLOTS_IN_30_DAYS = (30 * 86_400) / SAMPLE_SECONDS;

export type TimedSample = BandwidthSample & { at: Date };

/**
 * Adds a server's ports together per 5-minute slot (a sample's time floored to its slot) and keeps
 * the slots in [from, to): a sample stamped at the next midnight belongs to the next day, not to two.
 */
export function mergePortSamples(ports: ReadonlyArray<readonly TimedSample[]>, from: Date, to: Date): TimedSample[] {
  const slots = new Map<number, TimedSample>();
  for (const port of ports)
    for (const s of port) {
      const slot = Math.floor(s.at.getTime() / (SAMPLE_SECONDS * 1000)) * SAMPLE_SECONDS * 1000;
      if (slot < from.getTime() || slot >= to.getTime()) continue;
      const sum = slots.get(slot) ?? { at: new Date(slot), inBps: 0, outBps: 0 };
      sum.inBps += Math.round(s.inBps);
      sum.outBps += Math.round(s.outBps);
      slots.set(slot, sum);
    }
  return [...slots.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}

export interface Percentile95Mbps {
  in: number;
  out: number;
  total: number;
}

export type PanelCheck =
  | { verdict: "agrees" | "differs"; ours: Percentile95Mbps; panel: Percentile95Mbps; ratio: number }
  | { verdict: "too-few-samples"; slots: number }
  | { verdict: "no-panel-figure" };

/** Below this share of a 30-day window's slots, our 95th is not comparable with the panel's. */
export const CHECK_MIN_COVERAGE = 0.9;
/**
 * How far apart the two 95th figures may be and still agree. Loose on purpose: the windows differ by
 * the hours between midnight and the nightly run, while a wrong unit is off by 8 (bytes for bits),
 * 300 (a volume per slot read as a rate) or 1,000 (kbit for bit).
 */
export const CHECK_MAX_RATIO = 1.5;

/**
 * Our 95th of a 30-day window against Tenantos's own (`trafficStatistics.95th_*_30d`), direction by
 * direction; the worst ratio decides. It is how a wrong guess about the sample unit shows up.
 */
export function checkAgainstPanel95th(ours: Percentile95Mbps & { slots: number }, panel: Percentile95Mbps | null): PanelCheck {
  if (!panel) return { verdict: "no-panel-figure" };
  if (ours.slots < SLOTS_IN_30_DAYS * CHECK_MIN_COVERAGE) return { verdict: "too-few-samples", slots: ours.slots };
  const ratioOf = (a: number, b: number) => {
    // Both under 0.05 Mbit/s (the panel prints two decimals): nothing to compare.
    if (a < 0.05 && b < 0.05) return 1;
    if (a === 0 || b === 0) return Infinity;
    return Math.max(a / b, b / a);
  };
  const ratio = Math.max(ratioOf(ours.in, panel.in), ratioOf(ours.out, panel.out), ratioOf(ours.total, panel.total));
  const { slots: _slots, ...figures } = ours;
  return { verdict: ratio <= CHECK_MAX_RATIO ? "agrees" : "differs", ours: figures, panel, ratio };
}
