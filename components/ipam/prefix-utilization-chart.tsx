"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { computeUtilizationBars, type PrefixCounts } from "@/lib/ipam/utilization";

// In use, reserved, free: readable on the light and the dark theme (the free part is a quiet grey).
const COLOURS = { inUse: "#2563eb", reserved: "#d97706", free: "#94a3b8" } as const;
const ROW_PX = 34;

/**
 * One stacked bar per prefix (in use / reserved / free, as shares of the prefix), each labelled with
 * its counts. The figures are the prefixes table's own (IPAM's one prefix query); the table below the
 * bars, for screen readers, holds the same numbers.
 */
export function PrefixUtilizationChart({ prefixes }: { prefixes: PrefixCounts[] }) {
  if (prefixes.length === 0) return null;
  const bars = computeUtilizationBars(prefixes);
  const byPrefix = new Map(bars.map((b) => [b.prefix, b]));
  return (
    <figure className="grid gap-2" data-testid="prefix-utilization">
      <figcaption className="text-muted-foreground text-sm">Share of each prefix in use, reserved and free.</figcaption>
      <div
        className="w-full min-w-0"
        style={{ height: bars.length * ROW_PX + 56 }}
        role="img"
        aria-label="Utilization per prefix (figures in the table that follows)"
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} className="stroke-border" />
            <XAxis type="number" domain={[0, 100]} unit="%" fontSize={12} tick={{ fill: "currentColor" }} />
            <YAxis
              type="category"
              dataKey="prefix"
              width={200}
              fontSize={12}
              tick={{ fill: "currentColor" }}
              tickFormatter={(prefix: string) => `${prefix} · ${byPrefix.get(prefix)?.countText ?? ""}`}
            />
            <Tooltip
              formatter={(_value, name, item) => {
                const b = item.payload as (typeof bars)[number];
                const count = name === "in use" ? b.inUse : name === "reserved" ? b.reserved : b.free;
                return [`${count.toLocaleString("en")} of ${b.size.toLocaleString("en")} (${b.label})`, name];
              }}
            />
            {/* Legend text in the page's colour: a series colour as text can fail contrast; the swatch carries the colour. */}
            <Legend formatter={(value: string) => <span className="text-foreground">{value}</span>} />
            <Bar dataKey="inUsePct" name="in use" stackId="u" fill={COLOURS.inUse} isAnimationActive={false} />
            <Bar dataKey="reservedPct" name="reserved" stackId="u" fill={COLOURS.reserved} isAnimationActive={false} />
            <Bar dataKey="freePct" name="free" stackId="u" fill={COLOURS.free} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* A table ignores the 1 px box sr-only gives it (its width is its content's): a div holds the box. */}
      <div className="sr-only">
        <table data-testid="prefix-utilization-figures">
          <caption>Utilization per prefix</caption>
          <thead>
            <tr>
              <th scope="col">Prefix</th>
              <th scope="col">In use</th>
              <th scope="col">Reserved</th>
              <th scope="col">Free</th>
              <th scope="col">Assignable</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.id} data-prefix={b.prefix}>
                <th scope="row">{b.prefix}</th>
                <td>{b.inUse}</td>
                <td>{b.reserved}</td>
                <td>{b.free}</td>
                <td>{b.size}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
