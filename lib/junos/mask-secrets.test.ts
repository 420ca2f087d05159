import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SECRET_CORPUS } from "./fixtures/secret-corpus";
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

  describe.each(SECRET_CORPUS)("on a Junos configuration ($name)", ({ text, secrets }) => {
    const masked = maskConfigSecrets(text);

    it("leaves no secret value of the corpus and no $9$, $1$, $5$ or $6$ string", () => {
      for (const s of secrets) expect(masked, s).not.toContain(s);
      expect(masked).not.toMatch(/\$[1569]\$/);
    });

    it("leaves every line without a secret byte-identical, and marks every line with one", () => {
      const before = text.split("\n");
      const after = masked.split("\n");
      expect(after).toHaveLength(before.length);
      before.forEach((line, i) => {
        if (secrets.some((s) => line.includes(s))) expect(after[i]).toContain("<masked>");
        else expect(after[i]).toBe(line);
      });
    });
  });

  it("keeps what a masked line looks like: the keyword, `<masked>` and the rest of the line", () => {
    const masked = maskConfigSecrets(
      [
        'set system ntp authentication-key 7 type md5 value "$9$dVbwgJDi.5T3n"',
        'set security ike policy p pre-shared-key ascii-text "$9$lKvMX-dbs2aJ"',
        "set security macsec connectivity-association ca pre-shared-key ckn 37c9c2c45ddd cak $9$wsYgoJUH",
        'set protocols ospf area 0.0.0.0 interface ge-0/0/0.0 authentication md5 1 key "$9$n-Zy6AtB"',
        "set snmp trap-group ops-traps targets 10.0.0.9",
        "snmp {",
        "    community m0n-ro {",
        '                secret "$9$3Zk9Au0B"; ## SECRET-DATA',
        "    }",
        "}",
        "[edit snmp community old-c0mm]",
      ].join("\n"),
    );
    expect(masked.split("\n")).toEqual([
      "set system ntp authentication-key 7 type md5 value <masked>",
      "set security ike policy p pre-shared-key ascii-text <masked>",
      "set security macsec connectivity-association ca pre-shared-key ckn <masked> cak <masked>",
      "set protocols ospf area 0.0.0.0 interface ge-0/0/0.0 authentication md5 1 key <masked>",
      "set snmp trap-group <masked> targets 10.0.0.9",
      "snmp {",
      "    community <masked> {",
      "                secret <masked>; ## SECRET-DATA",
      "    }",
      "}",
      "[edit snmp community <masked>]",
    ]);
  });

  // Upper-case words: never a Junos keyword, so only the marker decides.
  it("masks a $9$ string or crypt hash wherever it stands in a line", () => {
    const word = fc.stringMatching(/^[A-Z0-9./]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 6 }),
        fc.constantFrom("$9$", "$1$", "$5$", "$6$"),
        word,
        fc.array(word, { maxLength: 6 }),
        fc.boolean(),
        (head, marker, body, tail, isQuoted) => {
          const secret = isQuoted ? `"${marker}${body}"` : `${marker}${body}`;
          const line = [...head, secret, ...tail].join(" ");
          const masked = maskConfigSecrets(line);
          expect(masked).toBe([...head, "<masked>", ...tail].join(" "));
        },
      ),
    );
  });
});
