"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Time } from "@/components/ui/time";
import type { CapacityPoint, NodeCapacitySeries } from "@/lib/inventory/capacity-history";
import { formatUtc } from "@/lib/time/format";

// One colour per resource; given is a solid line, really used a dashed one.
const LINES: Array<{ key: keyof Omit<CapacityPoint, "at">; name: string; colour: string; isUse: boolean }> = [
  { key: "cpuAllocated", name: "CPU given", colour: "#2563eb", isUse: false },
  { key: "cpuUsed", name: "CPU used", colour: "#2563eb", isUse: true },
  { key: "memAllocated", name: "RAM given", colour: "#16a34a", isUse: false },
  { key: "memUsed", name: "RAM used", colour: "#16a34a", isUse: true },
  { key: "storageAllocated", name: "storage given", colour: "#d97706", isUse: false },
  { key: "storageUsed", name: "storage used", colour: "#d97706", isUse: true },
];
const percent = (v: number | null) => (v === null ? "—" : `${v}%`);
// Axis labels: the short UTC form (month-day hour:minute); the table below gives whole instants.
const shortUtc = (at: string) => formatUtc(at, "minute").slice(5);

/**
 * Per node, CPU / RAM / local storage given to guests and really used, as a share of the node's
 * capacity at each collection (given past 100% is overcommit). The figures table under each chart
 * holds every point drawn.
 */
export function CapacityHistoryCharts({ series }: { series: NodeCapacitySeries[] }) {
  if (series.length === 0)
    return <p className="text-muted-foreground text-sm">No capacity recorded yet: each inventory collection from now on adds a point per node.</p>;
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      {series.map((s) => (
        <figure key={s.node} className="grid min-w-0 gap-2" data-testid={`capacity-history-${s.node}`}>
          <figcaption className="text-sm font-medium">
            {s.node}: {s.points.length} collection{s.points.length === 1 ? "" : "s"}, latest <Time value={s.latest.at} precision="minute" />
          </figcaption>
          <div
            className="h-56 w-full"
            role="img"
            aria-label={`${s.node}: CPU, RAM and storage given and used over time, as a share of capacity (figures in the table that follows)`}
          >
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={s.points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" className="stroke-border" />
                <XAxis dataKey="at" tickFormatter={shortUtc} fontSize={11} tick={{ fill: "currentColor" }} minTickGap={24} />
                <YAxis unit="%" fontSize={11} width={52} tick={{ fill: "currentColor" }} />
                <Tooltip labelFormatter={(at) => formatUtc(String(at), "minute")} formatter={(v) => `${Number(v)}%`} />
                {/* Legend text in the page's colour: a series colour as text can fail contrast; the swatch carries the colour. */}
                <Legend formatter={(value: string) => <span className="text-foreground">{value}</span>} wrapperStyle={{ fontSize: 12 }} />
                {LINES.map((l) => (
                  <Line
                    key={l.key}
                    type="monotone"
                    dataKey={l.key}
                    name={l.name}
                    stroke={l.colour}
                    strokeDasharray={l.isUse ? "5 3" : undefined}
                    dot={{ r: 2 }}
                    isAnimationActive={false}
                    connectNulls={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          <details className="text-sm">
            <summary className="cursor-pointer">Figures for {s.node}</summary>
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`Figures for ${s.node}`}>
              <table className="mt-2 w-full text-xs" data-testid={`capacity-figures-${s.node}`}>
                <caption className="sr-only">{s.node}: share of capacity given and used per collection</caption>
                <thead>
                  <tr className="text-left">
                    <th scope="col">Collected</th>
                    {LINES.map((l) => (
                      <th key={l.key} scope="col" className="px-2 text-right">
                        {l.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {s.points.map((p) => (
                    <tr key={p.at}>
                      <td>
                        <Time value={p.at} precision="minute" />
                      </td>
                      {LINES.map((l) => (
                        <td key={l.key} className="px-2 text-right tabular-nums">
                          {percent(p[l.key])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </figure>
      ))}
    </div>
  );
}
