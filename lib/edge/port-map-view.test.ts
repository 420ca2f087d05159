import { describe, expect, it } from "vitest";
import type { UnifiSnapshotData } from "./data";
import type { Freshness } from "./freshness";
import type { JunosLinkFact, PortMapFact } from "./path";
import { computePortMapView, searchPortMapView } from "./port-map-view";

const stale: Freshness = { source: "unifi", collectedAt: new Date("2026-11-30T08:00:00Z"), isStale: true, error: "UniFi ... 503" };
const port = (idx: number, over: Partial<UnifiSnapshotData["devices"][number]["ports"][number]> = {}) => ({
  idx,
  name: `Port ${idx}`,
  isUp: false,
  speedMbps: 0,
  isUplink: false,
  lagIdx: null,
  aggregatedBy: null,
  lldp: [],
  ...over,
});
const unifi: UnifiSnapshotData = {
  devices: [
    {
      mac: "f4:e2:c6:00:00:01",
      name: "usw-core",
      model: "USW",
      ip: null,
      state: "ONLINE",
      ports: [
        port(1, { name: "pve-a eno1", isUp: true, speedMbps: 10_000, lagIdx: 1, lldp: [{ chassisId: "0c:c4:7a:aa:00:01", portId: "eno1" }] }),
        port(2, { name: "pve-a eno2", aggregatedBy: 1 }),
        port(3),
        port(4, { isUp: true, speedMbps: 1000, lldp: [{ chassisId: "aa:bb:cc:dd:ee:ff", portId: "eth0" }] }),
      ],
    },
  ],
  clients: [],
  networks: [],
  portForwards: [],
};
const entry = (id: number, p: string, farNic: string): PortMapFact => ({
  id,
  switchName: "usw-core",
  port: p,
  panel: "PP-A",
  panelPosition: p,
  farHost: "pve-a",
  farNic,
  farMac: null,
  bond: null,
  updatedAt: new Date("2026-11-01T00:00:00Z"),
  updatedBy: "admin@test",
});

describe("computePortMapView", () => {
  const rows = computePortMapView([entry(1, "1", "eno2"), entry(2, "2", "eno2")], { data: unifi, freshness: stale });

  it("puts the collected port beside each typed row, with the collector's freshness, and flags a disagreement without changing the row", () => {
    expect(rows[0]).toMatchObject({
      entryId: 1,
      collected: { name: "pve-a eno1", isUp: true, lag: "LAG 1", lldp: "0c:c4:7a:aa:00:01 eno1", freshness: stale },
      disagreements: ["usw-core:1: typed far-end NIC eno2, but LLDP hears port eno1"],
    });
  });

  it("reports a LAG member with its primary's state", () => {
    expect(rows[1]!.collected).toMatchObject({ isUp: true, speedMbps: 10_000, lag: "in LAG of port 1" });
  });

  it("adds the collected ports nobody typed that are up or hear a neighbour, and leaves idle ones out", () => {
    expect(rows.filter((r) => r.entryId === null).map((r) => r.port)).toEqual(["4"]);
  });

  it("searches typed and collected facts", () => {
    const entries = [entry(1, "1", "eno2"), entry(2, "2", "eno2")];
    expect(searchPortMapView(rows, entries, "eth0").map((r) => r.port)).toEqual(["4"]);
    expect(searchPortMapView(rows, entries, "usw-core:2").map((r) => r.entryId)).toEqual([2]);
  });
});

describe("computePortMapView: our Juniper switches' LLDP and LACP", () => {
  const fresh: Freshness = { source: "junos-lldp", collectedAt: new Date("2026-11-30T03:00:00Z"), isStale: false, error: null };
  const junos: JunosLinkFact = {
    switchName: "ex-core",
    neighbors: [{ localPort: "ge-0/0/2", parentBundle: "ae1", chassisId: "0c:c4:7a:04:00:01", portInfo: "eno1", systemName: "r630-04" }],
    bundles: [
      {
        bundle: "ae1",
        members: ["ge-0/0/2", "ge-0/0/3"].map((p) => ({ port: p, actor: null, partner: null, receiveState: null, transmitState: null, muxState: null })),
      },
    ],
    problems: [],
    freshness: fresh,
  };
  const typed = { ...entry(5, "ge-0/0/2", "eno2"), switchName: "ex-core", farHost: "r630-04" };
  const rows = computePortMapView([typed], { data: null, freshness: stale }, [junos]);

  it("puts what the switch's backup read beside the typed row, and flags the NIC it contradicts", () => {
    expect(rows[0]).toMatchObject({
      entryId: 5,
      collected: { name: "ge-0/0/2", isUp: true, speedMbps: null, lag: "in ae1", lldp: "0c:c4:7a:04:00:01 eno1 (r630-04)", freshness: fresh },
      disagreements: ["ex-core:ge-0/0/2: typed far-end NIC eno2, but LLDP hears port eno1"],
    });
  });

  it("lists the bundle members nobody typed, with their bundle", () => {
    expect(rows.filter((r) => r.entryId === null).map((r) => [r.switchName, r.port, r.collected?.lag])).toEqual([["ex-core", "ge-0/0/3", "in ae1"]]);
  });
});
