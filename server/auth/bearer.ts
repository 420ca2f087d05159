import { createHash, timingSafeEqual } from "node:crypto";

const sha256 = (s: string) => createHash("sha256").update(s).digest();
// The expected token's hash, kept: it is the same on every request of a door (one or two tokens).
const expectedDigests = new Map<string, Buffer>();

/** Compares `Authorization: Bearer <token>` with the expected token in constant time. */
export function isBearerTokenValid(header: string | null, expected: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return false;
  // Hash both sides so the comparison also hides the token's length.
  let b = expectedDigests.get(expected);
  if (!b) {
    if (expectedDigests.size > 8) expectedDigests.clear();
    b = sha256(expected);
    expectedDigests.set(expected, b);
  }
  return timingSafeEqual(sha256(match[1]), b);
}
