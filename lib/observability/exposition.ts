// A histogram whose buckets were counted by the database, in Prometheus's text format (0.0.4).
// prom-client builds histograms from observe() calls in one process; ours are counted from rows
// at scrape time (so every process agrees), and prom-client has no way to set a bucket's count.

/** Label values escaped as the text format asks: backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

export interface HistogramSeries {
  labels: Record<string, string>;
  /** Cumulative count per upper bound (same order as `le`). */
  buckets: number[];
  sum: number;
  count: number;
}

export function formatHistogram(name: string, help: string, le: readonly number[], series: HistogramSeries[]): string {
  const lines = [`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} histogram`];
  for (const s of series) {
    le.forEach((bound, i) => lines.push(`${name}_bucket${formatLabels({ ...s.labels, le: String(bound) })} ${s.buckets[i] ?? 0}`));
    lines.push(`${name}_bucket${formatLabels({ ...s.labels, le: "+Inf" })} ${s.count}`);
    lines.push(`${name}_sum${formatLabels(s.labels)} ${s.sum}`);
    lines.push(`${name}_count${formatLabels(s.labels)} ${s.count}`);
  }
  return `${lines.join("\n")}\n`;
}
