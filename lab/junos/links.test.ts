import { describe, expect, it } from "vitest";
import { renderLacpInterfaces, renderLldpNeighbors, type LabSwitchLinks } from "./links";

// The lab's answers checked against Juniper's documented shapes (links.ts names the pages), by their
// own words: never with the controller's parsers.
const links: LabSwitchLinks = {
  lldp: [{ port: "ge-0/0/2", bundle: "ae1", chassisId: "0c:c4:7a:04:00:01", portInfo: "eno1", systemName: "r630-04" }],
  lacp: [{ port: "ge-0/0/3", bundle: "ae1", isUp: false }],
};

describe("lab Junos: show lldp neighbors", () => {
  it("prints the documented columns; non-ELS with units, ELS without", () => {
    const [header, nonEls] = renderLldpNeighbors(links, "non-els");
    expect(header!.split(/\s{2,}/)).toEqual(["Local Interface", "Parent Interface", "Chassis Id", "Port info", "System Name"]);
    expect(nonEls!.split(/\s+/)).toEqual(["ge-0/0/2.0", "ae1.0", "0c:c4:7a:04:00:01", "eno1", "r630-04"]);
    expect(renderLldpNeighbors(links, "els")[1]!.split(/\s+/)).toEqual(["ge-0/0/2", "ae1", "0c:c4:7a:04:00:01", "eno1", "r630-04"]);
  });
});

describe("lab Junos: show lacp interfaces", () => {
  it("prints a block per bundle: state rows (Actor, Partner) per member, then protocol rows", () => {
    const out = renderLacpInterfaces(links);
    expect(out[0]).toBe("Aggregated interface: ae1");
    expect(out[1]!.trim().split(/\s+/)).toEqual(["LACP", "state:", "Role", "Exp", "Def", "Dist", "Col", "Syn", "Aggr", "Timeout", "Activity"]);
    expect(out.slice(2, 6).map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
      ["ge-0/0/2", "Actor"],
      ["ge-0/0/2", "Partner"],
      ["ge-0/0/3", "Actor"],
      ["ge-0/0/3", "Partner"],
    ]);
    expect(out[7]).toMatch(/^\s+ge-0\/0\/2\s+Current\s+Fast periodic Collecting distributing$/);
    expect(out[8]).toMatch(/^\s+ge-0\/0\/3\s+Defaulted\s+Fast periodic\s+Detached$/);
  });

  it("answers the documented warning when no bundle runs LACP", () => {
    expect(renderLacpInterfaces({ lldp: [] })).toEqual(["Warning: lacp subsystem not running - not needed by configuration."]);
  });
});
