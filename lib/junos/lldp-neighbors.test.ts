import { describe, expect, it } from "vitest";
import { parseLldpNeighbors } from "./lldp-neighbors";

// The shape of Juniper's EX sample (show-lldp-neighbors-lldp-ex-series, Junos 12.3): non-ELS prints
// units; the values here are ours.
const NON_ELS = `Local Interface    Parent Interface    Chassis Id          Port info          System Name
ge-0/0/0.0         -                   00:19:e2:50:3f:a0   ge-0/0/0.0         switch1
ge-0/0/20.0        ae0.0               0c:c4:7a:11:00:01   eno1               ml110
ge-0/0/21.0        ae0.0               0c:c4:7a:11:00:01   eno2               ml110
`;

describe("parseLldpNeighbors", () => {
  it("reads the documented non-ELS table, dropping units from ports and bundles", () => {
    const { neighbors, problems } = parseLldpNeighbors(NON_ELS);
    expect(problems).toEqual([]);
    expect(neighbors).toEqual([
      { localPort: "ge-0/0/0", parentBundle: null, chassisId: "00:19:e2:50:3f:a0", portInfo: "ge-0/0/0.0", systemName: "switch1" },
      { localPort: "ge-0/0/20", parentBundle: "ae0", chassisId: "0c:c4:7a:11:00:01", portInfo: "eno1", systemName: "ml110" },
      { localPort: "ge-0/0/21", parentBundle: "ae0", chassisId: "0c:c4:7a:11:00:01", portInfo: "eno2", systemName: "ml110" },
    ]);
  });

  it("reads ELS (no units) and the router table without a Parent Interface column, with the echo and extra spacing", () => {
    const els = parseLldpNeighbors(
      "show lldp neighbors\r\n{master:0}\r\nLocal Interface    Parent Interface    Chassis Id          Port info          System Name\r\n  xe-0/0/2     ae1    0c:c4:7a:04:00:01    eno1    r630-04   \r\n",
    );
    expect(els).toEqual({
      neighbors: [{ localPort: "xe-0/0/2", parentBundle: "ae1", chassisId: "0c:c4:7a:04:00:01", portInfo: "eno1", systemName: "r630-04" }],
      problems: [],
    });
    // The MX shape of the same page family (Local Interface, Chassis Id, Port info, System Name).
    const mx = parseLldpNeighbors(
      "Local Interface    Chassis Id          Port info          System Name\nxe-0/0/0           78:19:f7:07:ff:c0   xe-5/2/0           jnr01\n",
    );
    expect(mx.neighbors).toEqual([{ localPort: "xe-0/0/0", parentBundle: null, chassisId: "78:19:f7:07:ff:c0", portInfo: "xe-5/2/0", systemName: "jnr01" }]);
  });

  it("keeps a port description with spaces apart from the system name, and a missing system name as null", () => {
    const header = "Local Interface    Parent Interface    Chassis Id          Port info          System Name";
    const { neighbors, problems } = parseLldpNeighbors(
      [
        header,
        "ge-0/0/5.0         -                   00:11:22:33:44:55   Port 1 uplink      phone-7",
        "ge-0/0/6.0         -                   00:11:22:33:44:66   eth0",
        "ge-0/0/9.0         -                   00:11:22:33:44:77   Port 1",
        "ge-0/0/10.0        -                   00:11:22:33:44:88   Port 1             phone-8",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(neighbors.map((n) => [n.portInfo, n.systemName])).toEqual([
      ["Port 1 uplink", "phone-7"],
      ["eth0", null],
      ["Port 1", null],
      ["Port 1", "phone-8"],
    ]);
  });

  it("refuses lines it cannot read, naming the line and why, and keeps the rest", () => {
    const { neighbors, problems } = parseLldpNeighbors(
      [
        "Local Interface    Parent Interface    Chassis Id          Port info          System Name",
        "ge-0/0/1.0         -                   00:19:e2:50:3f:a0   eno1               ok-host",
        "bogus;rm           -                   00:19:e2:50:3f:a0   eno1               evil",
        "ge-0/0/2.0         ge-0/0/3            00:19:e2:50:3f:a0   eno1               evil",
        "ge-0/0/4.0",
        "ge-0/0/7.0         -                   00:19:e2:50:3f:a0   a b c d",
      ].join("\n"),
    );
    expect(neighbors.map((n) => n.localPort)).toEqual(["ge-0/0/1"]);
    expect(problems).toEqual([
      expect.stringMatching(/^line 3 "bogus;rm .*": "bogus;rm" is not an interface name$/),
      expect.stringMatching(/^line 4 .*: parent "ge-0\/0\/3" is not an aggregated interface \(aeN\)$/),
      expect.stringMatching(/^line 5 "ge-0\/0\/4.0": expected a local interface, a parent interface, a chassis id and port info$/),
      expect.stringMatching(/^line 6 .*: cannot tell port info from system name$/),
    ]);
  });

  it("says so when the answer is not the table at all, and reads an empty table as no neighbours", () => {
    expect(parseLldpNeighbors("error: the lldp subsystem is not running").problems).toEqual([
      'no "Local Interface … System Name" header in the output; first line "error: the lldp subsystem is not running"',
    ]);
    expect(parseLldpNeighbors("Local Interface    Parent Interface    Chassis Id          Port info          System Name\n")).toEqual({
      neighbors: [],
      problems: [],
    });
    expect(parseLldpNeighbors("")).toEqual({ neighbors: [], problems: [] });
  });
});
