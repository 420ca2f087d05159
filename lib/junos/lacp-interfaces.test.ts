import { describe, expect, it } from "vitest";
import { isActiveLacpMember, parseLacpInterfaces } from "./lacp-interfaces";

// The shape of Juniper's EX sample (show-lacp-interfaces-ex-series, Junos 12.3): one bundle, two
// members, actor and partner rows, then the protocol rows.
const SAMPLE = `Aggregated interface: ae0
    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity
      ge-0/0/0       Actor    No   Yes    No   No   No   Yes     Fast    Active
      ge-0/0/0     Partner    No   Yes    No   No   No   Yes     Fast   Passive
      ge-0/0/1       Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active
      ge-0/0/1     Partner    No    No   Yes  Yes  Yes   Yes     Fast    Active
    LACP protocol:        Receive State  Transmit State          Mux State
      ge-0/0/0                  Defaulted   Fast periodic           Detached
      ge-0/0/1                    Current   Fast periodic Collecting distributing
`;

describe("parseLacpInterfaces", () => {
  it("reads the documented block: members, their actor and partner flags and LACP states", () => {
    const { bundles, problems } = parseLacpInterfaces(SAMPLE);
    expect(problems).toEqual([]);
    expect(bundles).toHaveLength(1);
    const [ae0] = bundles;
    expect(ae0!.bundle).toBe("ae0");
    expect(ae0!.members.map((m) => [m.port, m.receiveState, m.transmitState, m.muxState, isActiveLacpMember(m)])).toEqual([
      ["ge-0/0/0", "Defaulted", "Fast periodic", "Detached", false],
      ["ge-0/0/1", "Current", "Fast periodic", "Collecting distributing", true],
    ]);
    expect(ae0!.members[0]!.partner).toMatchObject({ isDefaulted: true, activity: "Passive", timeout: "Fast" });
  });

  it("reads several bundles, units, CRLF and an added state column by the header's names", () => {
    const text = [
      "Aggregated interface: ae1.0",
      "    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity  Extra",
      "      xe-0/0/2.0     Actor    No    No   Yes  Yes  Yes   Yes     Slow    Active   x",
      "Aggregated interface: ae2",
      "    LACP protocol:        Receive State  Transmit State          Mux State",
      "      xe-0/0/3                    Current   Slow periodic Collecting distributing",
    ].join("\r\n");
    const { bundles, problems } = parseLacpInterfaces(text);
    expect(problems).toEqual([]);
    expect(bundles.map((b) => [b.bundle, b.members.map((m) => m.port)])).toEqual([
      ["ae1", ["xe-0/0/2"]],
      ["ae2", ["xe-0/0/3"]],
    ]);
    expect(bundles[0]!.members[0]!.actor).toMatchObject({ isCollecting: true, timeout: "Slow" });
  });

  it("reads the 'lacp subsystem not running' warning as no bundles", () => {
    expect(parseLacpInterfaces("Warning: lacp subsystem not running - not needed by configuration.\n")).toEqual({ bundles: [], problems: [] });
  });

  it("refuses lines it cannot read, naming each, and keeps the rest", () => {
    const text = [
      "something before any bundle",
      "Aggregated interface: ge-0/0/1",
      "Aggregated interface: ae3",
      "    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity",
      "      ge-0/0/9       Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active",
      "      ge-0/0/10      Actor    No    No   Yes",
      "      x;y            Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active",
      "    LACP protocol:        Receive State  Transmit State          Mux State",
      "      ge-0/0/9                    Current   Sideways   Detached",
    ].join("\n");
    const { bundles, problems } = parseLacpInterfaces(text);
    expect(bundles.map((b) => [b.bundle, b.members.map((m) => m.port)])).toEqual([["ae3", ["ge-0/0/9"]]]);
    expect(problems).toEqual([
      expect.stringMatching(/^line 1 .*: not under an "Aggregated interface" block/),
      expect.stringMatching(/^line 2 .*: "ge-0\/0\/1" is not an aggregated interface \(aeN\)$/),
      expect.stringMatching(/^line 6 .*: expected 9 columns/),
      expect.stringMatching(/^line 7 .*: "x;y" is not an interface name$/),
      expect.stringMatching(/^line 9 .*: expected a receive, a transmit and a mux state$/),
    ]);
  });
});
