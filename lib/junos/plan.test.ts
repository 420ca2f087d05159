import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBinding, type PortBindings } from "./bindings";
import { parseBindingsFromDisplaySet } from "./config-parse";
import type { JunosDialect } from "./dialect";
import { planPush, splitByDefinedVlans } from "./plan";

const b = (ip: string, mac: string, vlan = "VLAN.13") => parseBinding({ ip, mac, vlan });

const NON_ELS_CONFIG = `
set system host-name sw1
set ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4
set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.5 vlan VLAN.13
set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.5 mac AA:BB:CC:00:00:01
set ethernet-switching-options secure-access-port interface ge-0/0/2.0 static-ip 10.0.48.9 vlan VLAN.13 mac aa:bb:cc:00:00:02
set ethernet-switching-options secure-access-port interface ge-0/0/2.0 dhcp-trusted
`;

describe("parseBindingsFromDisplaySet", () => {
  it("reads one-line and per-leaf bindings, canonical", () => {
    const parsed = parseBindingsFromDisplaySet(NON_ELS_CONFIG, "non-els");
    expect(parsed.ports.get("ge-0/0/1.0")).toEqual([b("10.0.48.5", "aa:bb:cc:00:00:01")]);
    expect(parsed.ports.get("ge-0/0/2.0")).toEqual([b("10.0.48.9", "aa:bb:cc:00:00:02")]);
    expect(parsed.warnings).toEqual([]);
  });

  it("reads ELS bindings with their VLAN and group", () => {
    const parsed = parseBindingsFromDisplaySet(
      "set vlans VLAN.20 forwarding-options dhcp-security group legacy interface ae0.0 static-ip 10.0.20.7 mac 02:00:0a:00:14:07",
      "els",
    );
    expect(parsed.ports.get("ae0.0")).toEqual([b("10.0.20.7", "02:00:0a:00:14:07", "VLAN.20")]);
    expect(parsed.locations.get("ae0.0")).toEqual([{ keyword: "static-ip", vlan: "VLAN.20", group: "legacy" }]);
  });

  it("warns about a binding it cannot read instead of guessing", () => {
    const parsed = parseBindingsFromDisplaySet("set ethernet-switching-options secure-access-port interface ge-0/0/3.0 static-ip 10.0.0.1 vlan V1", "non-els");
    expect(parsed.ports.size).toBe(0);
    expect(parsed.warnings[0]).toContain("no mac");
  });
});

describe("planPush", () => {
  const current = parseBindingsFromDisplaySet(NON_ELS_CONFIG, "non-els");

  it("leaves a port that already matches untouched", () => {
    const plan = planPush({
      dialect: "non-els",
      group: "sankofa",
      current,
      desired: [{ interface: "ge-0/0/1.0", bindings: [b("10.0.48.5", "aa:bb:cc:00:00:01")] }],
    });
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toEqual(["ge-0/0/1.0"]);
  });

  it("replaces only the static-ip subtree, so mac-limit and dhcp-trusted survive", () => {
    const plan = planPush({
      dialect: "non-els",
      group: "sankofa",
      current,
      desired: [{ interface: "ge-0/0/1.0", bindings: [b("10.0.48.5", "aa:bb:cc:00:00:01"), b("10.0.48.6", "02:00:0a:00:30:06")] }],
    });
    expect(plan.changes[0]!.commands).toEqual([
      "delete ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip",
      "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.5 vlan VLAN.13 mac aa:bb:cc:00:00:01",
      "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.6 vlan VLAN.13 mac 02:00:0a:00:30:06",
    ]);
  });

  it("wipes a port with deletes only, and sets a fresh port with sets only", () => {
    const plan = planPush({
      dialect: "non-els",
      group: "sankofa",
      current,
      desired: [
        { interface: "ge-0/0/2.0", bindings: [] },
        { interface: "ge-0/0/7.0", bindings: [b("2001:db8::7", "02:00:00:00:00:07")] },
      ],
    });
    expect(plan.changes.map((c) => c.commands)).toEqual([
      ["delete ethernet-switching-options secure-access-port interface ge-0/0/2.0 static-ip"],
      ["set ethernet-switching-options secure-access-port interface ge-0/0/7.0 static-ipv6 2001:db8::7 vlan VLAN.13 mac 02:00:00:00:00:07"],
    ]);
  });

  it("writes the ELS form under the switch's group and deletes where the bindings were", () => {
    const els = parseBindingsFromDisplaySet(
      "set vlans VLAN.20 forwarding-options dhcp-security group legacy interface ge-0/0/4.0 static-ip 10.0.20.4 mac 02:00:00:00:00:04",
      "els",
    );
    const plan = planPush({
      dialect: "els",
      group: "sankofa",
      current: els,
      desired: [{ interface: "ge-0/0/4.0", bindings: [b("10.0.20.5", "02:00:00:00:00:05", "VLAN.20")] }],
    });
    expect(plan.changes[0]!.commands).toEqual([
      "delete vlans VLAN.20 forwarding-options dhcp-security group legacy interface ge-0/0/4.0 static-ip",
      "set vlans VLAN.20 forwarding-options dhcp-security group sankofa interface ge-0/0/4.0 static-ip 10.0.20.5 mac 02:00:00:00:00:05",
    ]);
  });

  it("refuses a plan naming one port twice or one IP twice on a port", () => {
    const port: PortBindings = { interface: "ge-0/0/1.0", bindings: [] };
    expect(() => planPush({ dialect: "non-els", group: "g", current, desired: [port, port] })).toThrow("appears twice");
    expect(() =>
      planPush({
        dialect: "non-els",
        group: "g",
        current,
        desired: [{ interface: "ge-0/0/9.0", bindings: [b("10.0.0.1", "02:00:00:00:00:01"), b("10.0.0.1", "02:00:00:00:00:02")] }],
      }),
    ).toThrow("bound twice");
  });

  // Whatever valid bindings a panel produces, the commands read back as exactly those bindings.
  it("round-trips any bindings through the commands and the parser, in both dialects", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const binding = fc.record({
      ip: fc.tuple(octet, octet, octet, octet).map((o) => o.join(".")),
      mac: fc.tuple(octet, octet, octet, octet).map((o) => `02:00:${o.map((x) => x.toString(16).padStart(2, "0")).join(":")}`),
      vlan: fc.constantFrom("VLAN.13", "VLAN.20", "v-100"),
    });
    fc.assert(
      fc.property(fc.constantFrom<JunosDialect>("non-els", "els"), fc.uniqueArray(binding, { selector: (x) => x.ip, maxLength: 6 }), (dialect, raw) => {
        const desired = raw.map(parseBinding);
        const plan = planPush({
          dialect,
          group: "sankofa",
          current: parseBindingsFromDisplaySet("", dialect),
          desired: [{ interface: "ge-0/0/1.0", bindings: desired }],
        });
        const config = plan.changes.flatMap((c) => c.commands).join("\n");
        expect(config).not.toMatch(/[;|"'{}]/);
        const back = parseBindingsFromDisplaySet(config, dialect).ports.get("ge-0/0/1.0") ?? [];
        expect(
          planPush({
            dialect,
            group: "sankofa",
            current: parseBindingsFromDisplaySet(config, dialect),
            desired: [{ interface: "ge-0/0/1.0", bindings: desired }],
          }).changes,
        ).toEqual([]);
        expect(back.length).toBe(desired.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("interface descriptions", () => {
  const current = parseBindingsFromDisplaySet(`${NON_ELS_CONFIG}\nset interfaces ge-0/0/1 description "old name"`, "non-els");

  it("reads the description of the physical interface, quoted or not", () => {
    expect(current.descriptions.get("ge-0/0/1")).toBe("old name");
  });

  it("sets a changed description alone, without touching bindings that match", () => {
    const plan = planPush({
      dialect: "non-els",
      group: "sankofa",
      current,
      desired: [{ interface: "ge-0/0/1.0", bindings: [b("10.0.48.5", "aa:bb:cc:00:00:01")], description: "srv-202-dedi-202" }],
    });
    expect(plan.changes).toEqual([
      expect.objectContaining({
        commands: ["set interfaces ge-0/0/1 description srv-202-dedi-202"],
        description: { current: "old name", desired: "srv-202-dedi-202" },
      }),
    ]);
  });

  it("leaves a port unchanged when bindings and description match, and ignores an unset description", () => {
    const same = parseBindingsFromDisplaySet(`${NON_ELS_CONFIG}\nset interfaces ge-0/0/2 description srv-9`, "non-els");
    const plan = planPush({
      dialect: "non-els",
      group: "sankofa",
      current: same,
      desired: [
        { interface: "ge-0/0/2.0", bindings: [b("10.0.48.9", "aa:bb:cc:00:00:02")], description: "srv-9" },
        { interface: "ge-0/0/1.0", bindings: [b("10.0.48.5", "aa:bb:cc:00:00:01")] },
      ],
    });
    expect(plan.unchanged).toEqual(["ge-0/0/2.0", "ge-0/0/1.0"]);
  });

  it("refuses a description that is not one plain token", () => {
    expect(() =>
      planPush({ dialect: "non-els", group: "sankofa", current, desired: [{ interface: "ge-0/0/3.0", bindings: [], description: 'x"; delete' }] }),
    ).toThrow(/description/);
  });
});

describe("VLANs the switch does not define", () => {
  it("leaves their bindings out and says why, so one bad VLAN cannot fail the whole commit", () => {
    const current = parseBindingsFromDisplaySet("set vlans VLAN.13 vlan-id 13", "els");
    const plan = planPush({
      dialect: "els",
      group: "sankofa",
      current,
      definedVlans: new Set(["VLAN.13"]),
      desired: [{ interface: "ae0.0", bindings: [b("10.0.48.5", "aa:bb:cc:00:00:01"), b("10.0.99.5", "aa:bb:cc:00:00:02", "VLAN.99")] }],
    });
    expect(plan.skipped).toEqual([{ interface: "ae0.0", ip: "10.0.99.5", reason: "VLAN VLAN.99 is not defined on the switch" }]);
    expect(plan.changes[0]!.desired.map((x) => x.ip)).toEqual(["10.0.48.5"]);
  });
});

describe("splitByDefinedVlans", () => {
  it("leaves out bindings on VLANs the switch does not define, keeping the order", () => {
    const bs = [b("10.0.48.5", "02:00:00:00:00:05"), b("10.0.20.7", "02:00:00:00:00:07", "VLAN.20"), b("10.0.48.6", "02:00:00:00:00:06")];
    expect(splitByDefinedVlans(bs, new Set(["VLAN.13"]))).toEqual({ pushable: [bs[0], bs[2]], leftOut: [bs[1]] });
  });

  it("keeps everything when the defined VLANs are unknown", () => {
    const bs = [b("10.0.20.7", "02:00:00:00:00:07", "VLAN.20")];
    expect(splitByDefinedVlans(bs, null)).toEqual({ pushable: bs, leftOut: [] });
    expect(splitByDefinedVlans(bs, undefined)).toEqual({ pushable: bs, leftOut: [] });
  });

  it("is what planPush leaves out and reports", () => {
    const bs = [b("10.0.48.5", "02:00:00:00:00:05"), b("10.0.20.7", "02:00:00:00:00:07", "VLAN.20")];
    const plan = planPush({
      dialect: "non-els",
      group: "sankofa",
      current: parseBindingsFromDisplaySet("", "non-els"),
      desired: [{ interface: "ge-0/0/3.0", bindings: bs }],
      definedVlans: new Set(["VLAN.13"]),
    });
    expect(plan.changes[0]!.desired).toEqual(splitByDefinedVlans(bs, new Set(["VLAN.13"])).pushable);
    expect(plan.skipped.map((x) => x.ip)).toEqual(splitByDefinedVlans(bs, new Set(["VLAN.13"])).leftOut.map((x) => x.ip));
  });
});
