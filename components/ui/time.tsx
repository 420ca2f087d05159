import { formatAge, formatUtc, type TimeInput, type TimePrecision } from "@/lib/time/format";
import { cn } from "@/lib/utils";

/**
 * The one way to show an instant in the console: `2026-12-06 14:05:09 UTC`, with the relative age
 * ("3 min ago") on hover. Works in server and client components; the age is computed where it is
 * rendered, so hydration may differ by a few seconds (suppressed on purpose).
 */
export function Time({
  value,
  precision = "second",
  fallback = "—",
  className,
}: {
  value: TimeInput;
  precision?: TimePrecision;
  fallback?: string;
  className?: string;
}) {
  const text = formatUtc(value, precision, "");
  if (!text) return <span className={className}>{fallback}</span>;
  const iso = new Date(value as string | number | Date).toISOString();
  return (
    <time dateTime={iso} title={formatAge(value)} className={cn("font-mono text-xs whitespace-nowrap", className)} suppressHydrationWarning>
      {text}
    </time>
  );
}
