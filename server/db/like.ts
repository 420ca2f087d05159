/** A user's search text as a literal inside LIKE / ILIKE: its % and _ match themselves. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
