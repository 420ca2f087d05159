import { describe, expect, it } from "vitest";
import { planVlanMigration, type PlanAddress } from "./plan";

const vlans = [
  { vid: 11, name: "flat", status: "current" as const },
  { vid: 110, name: "prod-web", status: "planned" as const },
  { vid: 120, name: "prod-db", status: "planned" as const },
];
const prefixes = [
  { prefix: "10.11.0.0/16", vid: 11 },
  { prefix: "10.110.0.0/24", vid: 110 },
  { prefix: "10.120.0.0/24", vid: 120 },
  { prefix: "10.200.0.0/24", vid: null },
];
const a = (address: string, host: string, status: PlanAddress["status"]): PlanAddress => ({ address, host, status });

describe("VLAN migration plan", () => {
  const result = planVlanMigration({
    vlans,
    prefixes,
    addresses: [
      a("10.11.0.10", "web-1", "active"),
      a("10.110.0.10", "web-1", "planned"),
      a("10.11.0.20", "db-1", "active"),
      a("10.120.0.20", "db-1", "planned"),
      a("10.11.0.30", "mail-1", "active"),
      a("10.110.0.40", "new-1", "active"),
      a("10.11.0.50", "odd-1", "active"),
      a("10.11.0.51", "odd-1", "planned"),
      a("10.200.0.5", "odd-1", "planned"),
    ],
    live: [{ host: "stray-vm", ips: ["10.120.0.20"] }],
  });
  const by = (host: string) => result.find((r) => r.host === host)!;

  it("places each host on its VLAN now and its target", () => {
    expect(by("web-1")).toEqual({
      host: "web-1",
      current: [{ address: "10.11.0.10", vid: 11 }],
      target: [{ address: "10.110.0.10", vid: 110 }],
      status: "ready",
      problems: [],
    });
    expect(by("mail-1").status).toBe("no-plan");
    expect(by("new-1").status).toBe("done");
  });

  it("blocks a move whose address is live elsewhere, outside a planned VLAN, or in no VLAN", () => {
    expect(by("db-1")).toMatchObject({ status: "blocked", problems: ["10.120.0.20 is live on stray-vm"] });
    expect(by("odd-1").problems).toEqual(["10.11.0.51 is on VLAN 11, which is not a planned VLAN", "10.200.0.5 is in no prefix with a VLAN"]);
  });
});
