"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// A colour per series, readable on the light and the dark theme; repeated past six.
const COLOURS = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2"];

/** Daily usage per org or node as lines (recharts); the table below it holds the same figures. */
export function UsageChart({ days, keys, values, unit }: { days: string[]; keys: string[]; values: Record<string, Record<string, number>>; unit: string }) {
  if (days.length === 0) return null;
  const data = days.map((day) => ({ day: day.slice(5), ...values[day] }));
  return (
    <div className="h-64 w-full" data-testid="usage-chart" role="img" aria-label={`Daily ${unit} per series`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-border" />
          <XAxis dataKey="day" fontSize={12} />
          <YAxis fontSize={12} width={56} />
          <Tooltip formatter={(v) => `${Number(v).toLocaleString("en")} ${unit}`} />
          <Legend />
          {keys.map((k, i) => (
            <Line key={k} type="monotone" dataKey={k} stroke={COLOURS[i % COLOURS.length]} dot={{ r: 2 }} isAnimationActive={false} connectNulls={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
