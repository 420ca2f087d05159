/**
 * The one way the console shows an instant: UTC with the zone written, `2026-12-06 14:05:09 UTC`
 * (or to the minute). Pages show this; CSVs and APIs keep ISO 8601 with `Z`. Relative time ("3 min
 * ago") is the hover text, never the only thing shown: an admin comparing a switch log with the
 * console needs the exact instant, and a relative age goes stale on a page left open.
 */
export type TimeInput = Date | string | number | null | undefined;
export type TimePrecision = "second" | "minute";

function toDate(value: Exclude<TimeInput, null | undefined>): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `2026-12-06 14:05:09 UTC`; an empty or unreadable value gives `fallback`. */
export function formatUtc(value: TimeInput, precision: TimePrecision = "second", fallback = "—"): string {
  if (value === null || value === undefined || value === "") return fallback;
  const d = toDate(value);
  if (!d) return fallback;
  return `${d
    .toISOString()
    .slice(0, precision === "second" ? 19 : 16)
    .replace("T", " ")} UTC`;
}

/** "3 min ago" / "in 5 min" relative to `now`; "never" for no value. */
export function formatAge(value: TimeInput, now: number = Date.now()): string {
  if (value === null || value === undefined || value === "") return "never";
  const d = toDate(value);
  if (!d) return "never";
  const diff = Math.round((now - d.getTime()) / 1000);
  const s = Math.abs(diff);
  const span = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : s < 86_400 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} d`;
  return diff >= 0 ? `${span} ago` : `in ${span}`;
}
