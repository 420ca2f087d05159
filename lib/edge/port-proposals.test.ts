import { describe, expect, it } from "vitest";
import type { LiveInventoryGuest } from "../inventory/snapshot";
import type { EdgeSwitchPort, NodeNetworkSnapshotData, UnifiSnapshotData } from "./data";
import type { Freshness } from "./freshness";
import type { PortMapFact } from "./path";
import { computePortProposals, describeConfirmedRow, searchPortProposals, type ProposalInputs } from "./port-proposals";

const fresh = (source: Freshness["source"]): Freshness => ({ source, collectedAt: new Date("2026-11-30T11:50:00Z"), isStale: false, error: null });
const SWITCH = "f4:e2:c6:00:00:09";

const port = (idx: number, over: Partial<EdgeSwitchPort> = {}): EdgeSwitchPort => ({
  idx,
  name: `Port ${idx}`,
  isUp: true,
  speedMbps: 10_000,
  isUplink: false,
  lagIdx: null,
  aggregatedBy: null,
  lldp: [],
  ...over,
});

const guest = (vmid: number, node: string, mac: string): LiveInventoryGuest => ({
  vmid,
  name: `g${vmid}`,
  node,
  type: "lxc",
  status: "running",
  cpus: 1,
  mem_bytes: 2 ** 30,
  nics: [{ index: 0, mac, bridge: "vmbr0", vlan_tag: null, config_ips: [] }],
  config_ips: [],
  live_ips: null,
});

const network: NodeNetworkSnapshotData = {
  nodes: ["pve-a", "pve-b", "pve-c"].map((node) => ({
    node,
    ifaces: [
      { iface: "eno1", type: "eth", isActive: true, slaves: [], bondMode: null, bridgePorts: [] },
      { iface: "eno2", type: "eth", isActive: true, slaves: [], bondMode: null, bridgePorts: [] },
      { iface: "bond0", type: "bond", isActive: true, slaves: ["eno1", "eno2"], bondMode: "802.3ad", bridgePorts: [] },
      { iface: "vmbr0", type: "bridge", isActive: true, slaves: [], bondMode: null, bridgePorts: ["bond0"] },
    ],
  })),
};

function inputs(ports: EdgeSwitchPort[], clients: UnifiSnapshotData["clients"], portMap: PortMapFact[] = []): ProposalInputs {
  return {
    unifi: {
      data: { devices: [{ mac: SWITCH, name: "usw-x", model: "USW", ip: null, state: null, ports }], clients, networks: [], portForwards: [] },
      freshness: fresh("unifi"),
    },
    nodeNetworks: { data: network, freshness: fresh("proxmox-network") },
    inventory: { guests: [guest(100, "pve-a", "bc:24:11:00:01:00"), guest(200, "pve-b", "bc:24:11:00:02:00")], freshness: fresh("inventory") },
    portMap,
  };
}

const client = (mac: string, swPort: number, hostname: string | null = null) => ({
  mac,
  ip: null,
  hostname,
  isWired: true,
  switchMac: SWITCH,
  switchPort: swPort,
  vlan: null,
});

describe("computePortProposals", () => {
  it("names a UniFi LLDP chassis by the node's own client entry, with the LAG and the node's bond", () => {
    const ports = [
      port(3, { lagIdx: 2, lldp: [{ chassisId: "0C:C4:7A:0A:00:01", portId: "eno1" }] }),
      port(4, { aggregatedBy: 3, isUp: false, lldp: [{ chassisId: "0c:c4:7a:0a:00:01", portId: "eno2" }] }),
    ];
    const out = computePortProposals(inputs(ports, [client("0c:c4:7a:0a:00:01", 3, "pve-c.example.org")]));
    expect(out.map((p) => [p.key, p.farHost, p.farNic, p.lag, p.hostBond, p.source])).toEqual([
      ["usw-x#3", "pve-c", "eno1", "LAG 2 (ports 3, 4)", "bond0", "unifi-lldp"],
      ["usw-x#4", "pve-c", "eno2", "LAG 2 (ports 3, 4)", "bond0", "unifi-lldp"],
    ]);
    expect(out[0]!.macNote).toMatch(/NIC MAC unknown/);
  });

  it("names a chassis nothing else names by the one node whose guests the port carries; several nodes' guests name none", () => {
    const ports = [
      port(1, { lldp: [{ chassisId: "0c:c4:7a:0b:00:01", portId: "eno1" }] }),
      port(2, { lldp: [{ chassisId: "00:11:22:33:44:55", portId: "x" }] }),
    ];
    const out = computePortProposals(inputs(ports, [client("bc:24:11:00:01:00", 1), client("bc:24:11:00:01:00", 2), client("bc:24:11:00:02:00", 2)]));
    expect(out.map((p) => [p.port, p.farHost, p.evidence])).toEqual([
      ["1", "pve-a", "LLDP chassis 0c:c4:7a:0b:00:01 port eno1 (chassis named by its guests in the client table)"],
    ]);
  });

  it("says the NIC is unknown when LLDP sends a MAC as port id, or when only the client table places the node", () => {
    const ports = [port(1, { lldp: [{ chassisId: "0c:c4:7a:0b:00:01", portId: "a0:36:9f:00:00:01" }] }), port(7), port(8, { isUplink: true })];
    const out = computePortProposals(inputs(ports, [client("0c:c4:7a:0b:00:01", 1, "pve-a"), client("bc:24:11:00:02:00", 7), client("bc:24:11:00:01:00", 8)]));
    expect(out.map((p) => [p.port, p.farHost, p.farNic, p.farMac, p.source])).toEqual([
      ["1", "pve-a", null, "a0:36:9f:00:00:01", "unifi-lldp"],
      ["7", "pve-b", null, null, "unifi-clients"],
    ]);
    expect(out[0]!.nicNote).toMatch(/Proxmox gives no NIC MACs/);
    expect(out[1]!.nicNote).toMatch(/hears no LLDP/);
  });

  it("drops what a typed row already says, flags what it contradicts, and the confirmed row carries the evidence", () => {
    const ports = [
      port(1, { lldp: [{ chassisId: "0c:c4:7a:0a:00:01", portId: "eno1" }] }),
      port(2, { lldp: [{ chassisId: "0c:c4:7a:0a:00:01", portId: "eno2" }] }),
      port(5, { lldp: [{ chassisId: "0c:c4:7a:0b:00:01", portId: "eno1" }] }),
    ];
    const typed = (id: number, p: string, farHost: string, farNic: string): PortMapFact => ({
      id,
      switchName: "usw-x",
      port: p,
      panel: null,
      panelPosition: null,
      farHost,
      farNic,
      farMac: null,
      bond: null,
      updatedAt: new Date(),
      updatedBy: "a",
    });
    const out = computePortProposals(
      inputs(
        ports,
        [client("0c:c4:7a:0a:00:01", 1, "pve-c"), client("0c:c4:7a:0b:00:01", 5, "pve-a")],
        [typed(1, "1", "pve-c", "eno1"), typed(2, "2", "pve-b", "eno1")],
      ),
    );
    expect(out.map((p) => [p.port, p.contradicts?.entryId ?? null])).toEqual([
      ["2", 2],
      ["5", null],
    ]);
    expect(out[0]!.contradicts!.message).toBe("usw-x:2 is typed as pve-b eno1, but LLDP chassis 0c:c4:7a:0a:00:01 port eno2 names pve-c");
    expect(describeConfirmedRow(out[1]!)).toMatchObject({ switchName: "usw-x", port: "5", farHost: "pve-a", farNic: "eno1", bond: "bond0" });
    expect(searchPortProposals(out, "pve-a").map((p) => p.port)).toEqual(["5"]);
  });
});
