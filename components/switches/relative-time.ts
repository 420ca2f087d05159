/** "3 min ago" style ages for tables; exact times go in the title attribute. */
export function formatAge(date: Date | string | null | undefined, now = Date.now()): string {
  if (!date) return "never";
  const s = Math.max(0, Math.round((now - new Date(date).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** An exact UTC time as the tables show it: `2026-11-22 23:18:21` (or to the minute). */
export function formatUtc(date: Date | string | null | undefined, precision: "second" | "minute" = "second"): string {
  if (!date) return "";
  return new Date(date)
    .toISOString()
    .slice(0, precision === "second" ? 19 : 16)
    .replace("T", " ");
}
