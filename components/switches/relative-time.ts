/** "3 min ago" style ages for tables; exact times go in the title attribute. */
export function formatAge(date: Date | string | null | undefined, now = Date.now()): string {
  if (!date) return "never";
  const s = Math.max(0, Math.round((now - new Date(date).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
