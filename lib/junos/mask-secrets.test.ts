import { describe, expect, it } from "vitest";
import { maskConfigSecrets } from "./mask-secrets";

describe("maskConfigSecrets", () => {
  it("masks passwords, keys and SNMP communities in both config forms", () => {
    const text = [
      'set system login user ops authentication encrypted-password "$6$abc$def"',
      "set snmp community s3cr3t authorization read-only",
      "set system radius-server 10.0.0.1 secret $9$xyz",
      '    encrypted-password "$6$abc";',
      "set system host-name sw1",
    ].join("\n");
    const masked = maskConfigSecrets(text);
    expect(masked).not.toMatch(/\$6\$|s3cr3t|\$9\$xyz/);
    expect(masked).toContain("set snmp community <masked> authorization read-only");
    expect(masked).toContain("set system host-name sw1");
  });
});
