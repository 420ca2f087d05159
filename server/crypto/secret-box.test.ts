import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseSecretsKey, seal, unseal } from "./secret-box";

describe("secret box", () => {
  const key = randomBytes(32);
  it("round-trips and never stores the plaintext", () => {
    const sealed = seal("encrypted-password $9$abc", key);
    expect(sealed.toString("utf8")).not.toContain("encrypted-password");
    expect(unseal(sealed, key)).toBe("encrypted-password $9$abc");
  });
  it("refuses a tampered value or the wrong key", () => {
    const sealed = seal("x", key);
    sealed[sealed.length - 1]! ^= 1;
    expect(() => unseal(sealed, key)).toThrow();
    expect(() => unseal(seal("x", key), randomBytes(32))).toThrow();
  });
  it("wants a 32-byte key", () => {
    expect(() => parseSecretsKey(Buffer.alloc(16).toString("base64"))).toThrow("32 bytes");
  });
});
