import { createHash } from "node:crypto";

/** OpenSSH's `SHA256:…` fingerprint of a raw SSH public key. */
export function fingerprintHostKey(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}
