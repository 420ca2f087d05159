import { createHash, timingSafeEqual } from "node:crypto";

/** Compares `Authorization: Bearer <token>` with the expected token in constant time. */
export function isBearerTokenValid(header: string | null, expected: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return false;
  // Hash both sides so the comparison also hides the token's length.
  const a = createHash("sha256").update(match[1]).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
