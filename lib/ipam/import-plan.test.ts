import { describe, expect, it } from "vitest";
import { digestSource, planAddressesImport, planDeclaredRows, planPrefixesImport, planVlansImport } from "./import-plan";
import type { CsvAddress } from "./netbox-csv";

const vlan = (vid: number, name: string, status: "current" | "planned" = "current") => ({ vid, name, status, description: null, environment: null });
const address = (a: string, hostname: string | null, extra: Partial<CsvAddress> = {}): CsvAddress => ({
  address: a,
  status: "active",
  hostname,
  vmid: null,
  mac: null,
  vlanVid: null,
  ownerTeam: null,
  service: null,
  sourceRef: null,
  ...extra,
});

describe("import plans", () => {
  it("sorts each VLAN row into create, update (naming the change) or unchanged", () => {
    const plan = planVlansImport(
      [vlan(11, "flat"), vlan(110, "prod-web-2", "planned"), vlan(120, "mgmt")],
      [vlan(11, "flat"), vlan(110, "prod-web", "planned")],
    );
    expect(plan.rows.map((r) => [r.key, r.action, r.reason, r.line])).toEqual([
      ["11", "unchanged", "same as stored", 2],
      ["110", "update", "name: prod-web → prod-web-2", 3],
      ["120", "create", "new VLAN", 4],
    ]);
    expect(plan.counts).toEqual({ create: 1, update: 1, unchanged: 1, conflict: 0 });
    expect(plan.writes.map((w) => [w.action, w.key])).toEqual([
      ["update", "110"],
      ["create", "120"],
    ]);
  });

  it("makes a key given twice a conflict for both rows, and writes neither", () => {
    const plan = planVlansImport([vlan(13, "a"), vlan(14, "b"), vlan(13, "c")], []);
    expect(plan.rows.filter((r) => r.action === "conflict").map((r) => [r.key, r.line])).toEqual([
      ["13", 2],
      ["13", 4],
    ]);
    expect(plan.rows.find((r) => r.line === 4)!.reason).toContain("rows 2 and 4");
    expect(plan.writes.map((w) => w.key)).toEqual(["14"]);
  });

  it("holds back a prefix on an unknown VLAN or with a gateway outside it, with the reason", () => {
    const row = (prefix: string, vid: number | null, gateway: string | null) => ({
      prefix,
      vid,
      gateway,
      environment: null,
      routingNotes: null,
      description: null,
    });
    const plan = planPrefixesImport([row("10.1.0.0/24", 99, null), row("10.2.0.0/24", 11, "10.3.0.1"), row("10.4.0.0/24", 11, "10.4.0.1")], [], new Set([11]));
    expect(plan.rows.map((r) => [r.key, r.action, r.reason])).toEqual([
      ["10.1.0.0/24", "conflict", "VLAN 99 is not in IPAM: import or add it first"],
      ["10.2.0.0/24", "conflict", "gateway 10.3.0.1 is not inside 10.2.0.0/24"],
      ["10.4.0.0/24", "create", "new prefix"],
    ]);
  });

  it("holds back an address outside every prefix and lists an update field by field", () => {
    const plan = planAddressesImport(
      [address("10.5.0.9", "web-2", { service: "web" }), address("192.0.2.1", "lost")],
      [address("10.5.0.9", "web-1")],
      [{ prefix: "10.5.0.0/24" }],
    );
    expect(plan.rows[0]).toMatchObject({ action: "update", changes: { hostname: ["web-1", "web-2"], service: [null, "web"] } });
    expect(plan.rows[1]).toMatchObject({ action: "conflict", reason: "192.0.2.1 is outside every prefix in IPAM: add its prefix first" });
  });

  it("classifies the declared addresses against the stored ones and keeps the file's conflicts", () => {
    const plan = planDeclaredRows(
      {
        addresses: [
          { address: "10.6.0.1", prefixId: 1, hostname: "a", vmid: 100, sourceRef: "ip-addresses.conf:A" },
          { address: "10.6.0.2", prefixId: 1, hostname: "b", vmid: null, sourceRef: "ip-addresses.conf:B" },
        ],
        conflicts: [{ kind: "malformed_line", file: "ip-addresses.conf", line: 7, message: "not KEY=ip: junk" }],
      },
      new Map([["10.6.0.1", { hostname: "a", vmid: 101, prefixId: 1 }]]),
    );
    expect(plan.rows.map((r) => [r.key, r.action, r.reason, r.line])).toEqual([
      ["10.6.0.1", "update", "vmid: 101 → 100", null],
      ["10.6.0.2", "create", "new address from ip-addresses.conf:B", null],
      ["malformed_line", "conflict", "ip-addresses.conf: not KEY=ip: junk", 7],
    ]);
  });

  it("gives the same digest source for the same plan and another once a stored row changed", () => {
    const a = planVlansImport([vlan(11, "flat")], []);
    const b = planVlansImport([vlan(11, "flat")], []);
    const c = planVlansImport([vlan(11, "flat")], [vlan(11, "flat-old")]);
    expect(digestSource(a)).toBe(digestSource(b));
    expect(digestSource(a)).not.toBe(digestSource(c));
  });
});
