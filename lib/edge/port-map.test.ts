import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNetboxCablesCsv, formatNetboxInterfacesCsv, parseNetboxPortMap } from "./netbox-port-map";
import { formatPortMapCsv, parsePortMapCsv, parsePortMapEntry, type PortMapEntryValues } from "./port-map";

const entry = (over: Partial<PortMapEntryValues>): PortMapEntryValues => ({
  switchName: "ex3400",
  switchKind: "juniper",
  port: "ge-0/0/1",
  panel: null,
  panelPosition: null,
  farHost: null,
  farNic: null,
  farMac: null,
  bond: null,
  vlanMode: null,
  nativeVlan: null,
  taggedVlans: [],
  speedMbps: null,
  notes: null,
  ...over,
});

const SAMPLE: PortMapEntryValues[] = [
  entry({
    port: "ge-0/0/1",
    panel: "PP-A",
    panelPosition: "1",
    farHost: "r630-01",
    farNic: "eno1",
    farMac: "0c:c4:7a:01:00:01",
    bond: "ae0",
    vlanMode: "trunk",
    nativeVlan: 11,
    taggedVlans: [20, 200],
    speedMbps: 10_000,
    notes: '=HYPERLINK("http://x")',
  }),
  entry({
    port: "ge-0/0/2",
    panel: "PP-A",
    panelPosition: "2",
    farHost: "r630-01",
    farNic: "eno2",
    bond: "ae0",
    vlanMode: "trunk",
    nativeVlan: 11,
    taggedVlans: [20, 200],
  }),
  entry({ port: "ge-0/0/9", farHost: "dedi-201", farNic: "eth0", vlanMode: "access", nativeVlan: 13, speedMbps: 1000 }),
  entry({ switchName: "usw-core", switchKind: "unifi", port: "24", panel: "PP-B", panelPosition: "24", notes: "uplink to the UDM" }),
  entry({ switchName: "usw-core", switchKind: "unifi", port: "7", notes: "spare" }),
];

describe("parsePortMapEntry", () => {
  it("names the field that is wrong", () => {
    const fieldOf = (input: object) => {
      try {
        parsePortMapEntry({ switchName: "ex3400", port: "ge-0/0/1", ...input });
        return null;
      } catch (e) {
        return [(e as { field?: string }).field, (e as Error).message];
      }
    };
    expect(fieldOf({ switchName: " " })).toEqual(["switchName", "Switch: give the switch's name"]);
    expect(fieldOf({ farMac: "not-a-mac" })).toEqual(["farMac", expect.stringContaining("Far-end MAC")]);
    expect(fieldOf({ nativeVlan: 4095 })).toEqual(["nativeVlan", "a VLAN id is 1–4094"]);
    expect(fieldOf({ panel: "PP-A" })).toEqual(["panelPosition", "Panel position: give the position on the patch panel"]);
    expect(fieldOf({ vlanMode: "access", taggedVlans: [20] })).toEqual(["taggedVlans", "Tagged VLANs: an access port carries no tagged VLANs"]);
    expect(fieldOf({ speedMbps: -1 })).toEqual(["speedMbps", "Speed: a positive number of Mbit/s"]);
  });

  it("normalises a MAC in any notation", () => {
    expect(parsePortMapEntry({ switchName: "s", port: "1", farMac: "0CC4.7A01.0001" }).farMac).toBe("0c:c4:7a:01:00:01");
  });
});

describe("port map CSV", () => {
  it("round-trips through our CSV, formula cells escaped in the file and restored on import", () => {
    const csv = formatPortMapCsv(SAMPLE);
    expect((parse(csv, { columns: true }) as Array<Record<string, string>>)[0]!.notes).toBe('\'=HYPERLINK("http://x")');
    expect(parsePortMapCsv(csv)).toEqual(SAMPLE);
  });

  it("says which row and why when a row is wrong", () => {
    expect(() => parsePortMapCsv("switch,port,native_vlan\nex3400,ge-0/0/1,11\nex3400,ge-0/0/2,5000\n")).toThrow("Port map CSV row 3: a VLAN id is 1–4094");
    expect(() => parsePortMapCsv("switch,nope\nx,y\n")).toThrow("Port map CSV needs the column(s) port");
  });
});

describe("NetBox interfaces + cables CSV", () => {
  it("round-trips: what we export, NetBox's columns, reads back the same port map", () => {
    const interfaces = formatNetboxInterfacesCsv(SAMPLE);
    const cables = formatNetboxCablesCsv(SAMPLE);
    expect(parseNetboxPortMap(interfaces, cables)).toEqual(SAMPLE);
  });

  it("writes the LAG before its members, speed in Kbps, 802.1Q mode names, and the patch panel as front/rear ports", () => {
    const ifaces = parse(formatNetboxInterfacesCsv(SAMPLE), { columns: true }) as Array<Record<string, string>>;
    expect(ifaces[0]).toMatchObject({ device: "ex3400", name: "ae0", type: "lag" });
    expect(ifaces.find((r) => r.name === "ge-0/0/1")).toMatchObject({
      lag: "ae0",
      speed: "10000000",
      mode: "tagged",
      untagged_vlan: "11",
      tagged_vlans: "20,200",
    });
    expect(ifaces.find((r) => r.device === "r630-01" && r.name === "eno1")).toMatchObject({ cf_mac: "0c:c4:7a:01:00:01", cf_switch_kind: "" });
    const cables = parse(formatNetboxCablesCsv(SAMPLE), { columns: true }) as Array<Record<string, string>>;
    expect(cables.slice(0, 2)).toEqual([
      expect.objectContaining({
        side_a_device: "ex3400",
        side_a_type: "dcim.interface",
        side_a_name: "ge-0/0/1",
        side_b_device: "PP-A",
        side_b_type: "dcim.frontport",
        side_b_name: "1",
      }),
      expect.objectContaining({
        side_a_device: "PP-A",
        side_a_type: "dcim.rearport",
        side_a_name: "1",
        side_b_device: "r630-01",
        side_b_type: "dcim.interface",
        side_b_name: "eno1",
      }),
    ]);
  });

  it("reads a NetBox export without our custom fields, cabled either way round", () => {
    const interfaces = "device,name,type,mode,untagged_vlan\nsw1,xe-0/0/3,10gbase-x-sfpp,access,13\nhost9,eth0,1000base-t,,\n";
    const cables = "side_a_device,side_a_type,side_a_name,side_b_device,side_b_type,side_b_name\nsw1,dcim.interface,xe-0/0/3,host9,dcim.interface,eth0\n";
    expect(parseNetboxPortMap(interfaces, cables)).toEqual([
      entry({ switchName: "sw1", switchKind: "other", port: "xe-0/0/3", farHost: "host9", farNic: "eth0", vlanMode: "access", nativeVlan: 13 }),
    ]);
  });

  it("refuses a cable end it cannot place, naming the row", () => {
    const cables = "side_a_device,side_a_type,side_a_name,side_b_device,side_b_type,side_b_name\nsw1,dcim.powerport,PSU1,pdu,dcim.poweroutlet,1\n";
    expect(() => parseNetboxPortMap("device,name\nsw1,ge-0/0/1\n", cables)).toThrow(
      'NetBox cables CSV row 2: side_a_type "dcim.powerport" is not dcim.interface, dcim.frontport or dcim.rearport',
    );
  });

  it("round-trips any port map of distinct ports (property, fixed seed)", () => {
    const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,8}$/);
    const arbEntry = fc.record({
      port: text,
      panel: fc.option(text, { nil: null }),
      panelPosition: fc.integer({ min: 1, max: 48 }).map(String),
      far: fc.option(fc.tuple(text, text), { nil: null }),
      bond: fc.option(fc.constantFrom("ae0", "ae1"), { nil: null }),
      nativeVlan: fc.option(fc.integer({ min: 1, max: 4094 }), { nil: null }),
      tagged: fc.uniqueArray(fc.integer({ min: 1, max: 4094 }), { maxLength: 4 }),
      notes: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbEntry, { selector: (e) => e.port, maxLength: 6 }), (raw) => {
        // Ports, panels positions and far ends are each one cable end: keep them distinct, as NetBox would.
        const entries = raw.map((r, i) =>
          entry({
            switchName: "sw",
            port: r.port,
            panel: r.panel ? "PP" : null,
            panelPosition: r.panel ? String(i + 1) : null,
            farHost: r.far ? `host-${i}` : null,
            farNic: r.far ? r.far[1] : null,
            bond: r.bond === r.port ? null : r.bond,
            vlanMode: r.tagged.length ? "trunk" : null,
            nativeVlan: r.nativeVlan,
            taggedVlans: [...r.tagged].sort((a, b) => a - b),
            notes: r.notes?.trim() ? r.notes.trim() : null,
          }),
        );
        const usable = entries.filter((e) => !entries.some((o) => o.bond === e.port));
        const back = parseNetboxPortMap(formatNetboxInterfacesCsv(usable), formatNetboxCablesCsv(usable));
        expect(back).toEqual(usable.map((e) => parsePortMapEntry(e)));
      }),
      { seed: 1313, numRuns: 200 },
    );
  });
});
