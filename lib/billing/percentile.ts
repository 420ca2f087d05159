// The hosting rule for bandwidth (docs/../shared/reference/billing.md, "95th-percentile bandwidth";
// Tenantos: "the top 5% of all values are removed"): sort the 5-minute rate samples, drop the top
// 5% (rounded down: 8,640 samples of 30 days lose 432, about 36 h of bursts), bill the next highest.

/** What a contract bills: the higher of in and out (measured apart), one direction, or in+out per sample. */
export const BANDWIDTH_MODES = ["higher", "in", "out", "total"] as const;
export type BandwidthMode = (typeof BANDWIDTH_MODES)[number];

export interface BandwidthSample {
  inBps: number;
  outBps: number;
}

/** The 95th percentile of plain values; 0 for none. Integer maths for the 5% so 8,640 drops exactly 432. */
export function computePercentile95(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => b - a);
  return sorted[Math.floor(values.length / 20)]!;
}

/** A server's three 95th percentiles: in, out, and in+out summed per sample before the percentile. */
export interface Percentiles95 {
  inBps: number;
  outBps: number;
  totalBps: number;
}

/** Which of the three a contract bills under `mode`. */
export function selectBillableRate(p: Percentiles95, mode: BandwidthMode): number {
  switch (mode) {
    case "in":
      return p.inBps;
    case "out":
      return p.outBps;
    case "higher":
      return Math.max(p.inBps, p.outBps);
    case "total":
      return p.totalBps;
  }
}

/** The billable rate of a server's samples under `mode`. */
export function computeBandwidthP95(samples: readonly BandwidthSample[], mode: BandwidthMode): number {
  return selectBillableRate(
    {
      inBps: computePercentile95(samples.map((s) => s.inBps)),
      outBps: computePercentile95(samples.map((s) => s.outBps)),
      // The sum per sample, then the percentile: not the sum of the two percentiles.
      totalBps: computePercentile95(samples.map((s) => s.inBps + s.outBps)),
    },
    mode,
  );
}
