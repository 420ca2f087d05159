import { describe, expect, it } from "vitest";
import { parseIpAddressesConf } from "../inventory/ip-addresses-conf";
import { parseVmidTable } from "../inventory/vmid-table";
import { planDeclaredImport } from "./declared-import";
import { findContainingPrefix, parseGateway, parsePrefix } from "./values";

describe("IPAM values", () => {
  it("canonicalises prefixes and names the network when host bits are set", () => {
    expect(parsePrefix("10.11.0.0/16")).toEqual({ prefix: "10.11.0.0/16", family: "ipv4", length: 16 });
    expect(parsePrefix("2001:DB8:0::/48").prefix).toBe("2001:db8::/48");
    expect(() => parsePrefix("10.11.0.5/24")).toThrow("did you mean 10.11.0.0/24");
    expect(() => parsePrefix("10.11.0.0")).toThrow("not a CIDR prefix");
  });

  it("finds the most specific prefix and keeps gateways inside theirs", () => {
    const prefixes = [{ prefix: "10.0.0.0/8" }, { prefix: "10.11.0.0/16" }, { prefix: "2001:db8::/32" }];
    expect(findContainingPrefix("10.11.3.4", prefixes)?.prefix).toBe("10.11.0.0/16");
    expect(findContainingPrefix("192.0.2.1", prefixes)).toBeUndefined();
    expect(() => parseGateway("10.12.0.1", "10.11.0.0/16")).toThrow("not inside 10.11.0.0/16");
  });
});

describe("declared inventory import plan", () => {
  const conf = parseIpAddressesConf(
    ['WEB_1="10.11.0.10"', "DB_1=10.11.0.20", "DB_OLD=10.11.0.20", "FAR=192.0.2.7", "BROKEN=10.11.0.300", "OWNED=10.11.0.30"].join("\n"),
  );
  const doc = parseVmidTable(["| VMID | Name | IP |", "|---|---|---|", "| 2101 | web-1 | 10.11.0.10 |"].join("\n"));
  const plan = planDeclaredImport({ conf, doc, prefixes: [{ id: 1, prefix: "10.11.0.0/16" }], existing: new Map([["10.11.0.30", { sourceRef: "console" }]]) });

  it("imports each key once, named from the VMID table when it lists the IP", () => {
    expect(plan.addresses).toEqual([{ address: "10.11.0.10", prefixId: 1, hostname: "web-1", vmid: 2101, sourceRef: "ip-addresses.conf:WEB_1" }]);
  });

  it("reports every conflict with its line and writes none of them", () => {
    expect(plan.conflicts.map((c) => [c.kind, c.line])).toEqual([
      ["malformed_line", 5],
      ["duplicate_ip", 3],
      ["outside_every_prefix", 4],
      ["owned_elsewhere", 6],
    ]);
    expect(plan.conflicts[1]!.message).toBe("10.11.0.20 is declared twice: DB_1 (line 2), DB_OLD (line 3)");
  });
});
