import { describe, expect, it } from "vitest";
import type { LiveInventoryGuest } from "../inventory/snapshot";
import type { EdgeProxyHost, NodeNetworkSnapshotData, UnifiSnapshotData } from "./data";
import type { Freshness } from "./freshness";
import { computePathDiagram } from "./path-diagram";
import {
  computeEdgeMap,
  findPhysicalNics,
  identifyLldpNeighbors,
  searchEdgePaths,
  type EdgeInputs,
  type FindingKind,
  type JunosLinkFact,
  type PortMapFact,
} from "./path";

const NOW = new Date("2026-11-30T12:00:00Z");
const fresh = (source: Freshness["source"]): Freshness => ({ source, collectedAt: new Date("2026-11-30T11:50:00Z"), isStale: false, error: null });

const guest = (vmid: number, name: string, node: string, ip: string, mac: string): LiveInventoryGuest => ({
  vmid,
  name,
  node,
  type: "lxc",
  status: "running",
  cpus: 2,
  mem_bytes: 2 ** 31,
  nics: [{ index: 0, mac, bridge: "vmbr0", vlan_tag: null, config_ips: [ip] }],
  config_ips: [ip],
  live_ips: null,
});

const proxyHost = (id: number, domain: string, forwardHost: string, extra: Partial<EdgeProxyHost> = {}): EdgeProxyHost => ({
  id,
  domainNames: [domain],
  forwardScheme: "http",
  forwardHost,
  forwardPort: 3000,
  isEnabled: true,
  isSslForced: true,
  locations: [],
  certificate: { id: id, niceName: domain, expiresOn: "2027-02-01T00:00:00.000Z" },
  ...extra,
});

const network: NodeNetworkSnapshotData = {
  nodes: [
    {
      node: "pve-a",
      ifaces: [
        { iface: "eno1", type: "eth", isActive: true, slaves: [], bondMode: null, bridgePorts: [] },
        { iface: "eno2", type: "eth", isActive: true, slaves: [], bondMode: null, bridgePorts: [] },
        { iface: "bond0", type: "bond", isActive: true, slaves: ["eno1", "eno2"], bondMode: "802.3ad", bridgePorts: [] },
        { iface: "vmbr0", type: "bridge", isActive: true, slaves: [], bondMode: null, bridgePorts: ["bond0"] },
      ],
    },
    {
      node: "pve-b",
      ifaces: [
        { iface: "eno1", type: "eth", isActive: true, slaves: [], bondMode: null, bridgePorts: [] },
        { iface: "vmbr0", type: "bridge", isActive: true, slaves: [], bondMode: null, bridgePorts: ["eno1"] },
      ],
    },
  ],
};

const row = (id: number, port: string, farHost: string, farNic: string, position: string, extra: Partial<PortMapFact> = {}): PortMapFact => ({
  id,
  switchName: "usw-core",
  port,
  panel: "PP-A",
  panelPosition: position,
  farHost,
  farNic,
  farMac: null,
  bond: null,
  updatedAt: new Date("2026-11-01T00:00:00Z"),
  updatedBy: "admin@test",
  ...extra,
});

const unifi = (over: Partial<UnifiSnapshotData> = {}): UnifiSnapshotData => ({
  devices: [
    {
      mac: "f4:e2:c6:00:00:01",
      name: "usw-core",
      model: "USW-Pro-Aggregation",
      ip: "10.0.0.2",
      state: "ONLINE",
      ports: [
        {
          idx: 1,
          name: "pve-a eno1",
          isUp: true,
          speedMbps: 10_000,
          isUplink: false,
          lagIdx: 1,
          aggregatedBy: null,
          lldp: [{ chassisId: "0c:c4:7a:aa:00:01", portId: "eno1" }],
        },
        { idx: 2, name: "pve-a eno2", isUp: false, speedMbps: 0, isUplink: false, lagIdx: null, aggregatedBy: 1, lldp: [] },
        { idx: 3, name: "pve-b eno1", isUp: true, speedMbps: 10_000, isUplink: false, lagIdx: null, aggregatedBy: null, lldp: [] },
      ],
    },
  ],
  clients: [{ mac: "bc:24:11:00:00:01", ip: "10.0.0.50", hostname: "web", isWired: true, switchMac: "f4:e2:c6:00:00:01", switchPort: 1, vlan: 11 }],
  networks: [],
  portForwards: [],
  ...over,
});

const allInputs = inputs;
function inputs(over: Partial<EdgeInputs> = {}): EdgeInputs {
  return {
    now: NOW,
    npm: { data: { proxyHosts: [proxyHost(1, "web.example.org", "10.0.0.50")], streams: [] }, freshness: fresh("npm") },
    unifi: { data: unifi(), freshness: fresh("unifi") },
    nodeNetworks: { data: network, freshness: fresh("proxmox-network") },
    inventory: { guests: [guest(700, "web", "pve-a", "10.0.0.50", "BC:24:11:00:00:01")], freshness: fresh("inventory") },
    ipam: { addresses: [{ address: "10.0.0.50", mac: "bc:24:11:00:00:01", hostname: "web" }], freshness: fresh("ipam") },
    portMap: [row(1, "1", "pve-a", "eno1", "1"), row(2, "2", "pve-a", "eno2", "2"), row(3, "3", "pve-b", "eno1", "3")],
    servedNames: ["web.example.org"],
    ...over,
  };
}

const kinds = (m: ReturnType<typeof computeEdgeMap>) => m.findings.map((f) => f.kind);

describe("computeEdgeMap: the joined path", () => {
  it("follows a hostname through NPM, the guest, its node's bond and both switch ports to the patch panel", () => {
    const map = computeEdgeMap(inputs());
    expect(map.findings).toEqual([]);
    const path = map.paths.find((p) => p.id === "npm:1")!;
    expect(path.hops.map((h) => [h.kind, h.label])).toEqual([
      ["hostname", "web.example.org"],
      ["proxy-host", "NPM #1 → http://10.0.0.50:3000"],
      ["lan-endpoint", "10.0.0.50:3000"],
      ["guest", "CT 700 web"],
      ["node", "pve-a"],
      ["node-nic", "vmbr0 → bond0"],
      ["switch-port", "usw-core 1"],
      ["patch-panel", "PP-A / 1"],
      ["switch-port", "usw-core 2"],
      ["patch-panel", "PP-A / 2"],
    ]);
    // Every hop says where its fact came from.
    expect(path.hops.map((h) => h.freshness.source)).toEqual([
      "npm",
      "npm",
      "npm",
      "inventory",
      "inventory",
      "proxmox-network",
      "port-map",
      "port-map",
      "port-map",
      "port-map",
    ]);
  });

  it("carries a source's staleness onto its hops", () => {
    const stale: Freshness = { source: "npm", collectedAt: new Date("2026-11-29T00:00:00Z"), isStale: true, error: "NPM down" };
    const path = computeEdgeMap(inputs({ npm: { data: inputs().npm.data, freshness: stale } })).paths[0]!;
    expect(path.hops[0]!.freshness).toEqual(stale);
    expect(path.hops.find((h) => h.kind === "guest")!.freshness.isStale).toBe(false);
  });

  it("finds the path by hostname, IP, VMID, MAC in any notation, switch port and patch position", () => {
    const { paths } = computeEdgeMap(inputs());
    for (const q of ["web.example", "10.0.0.50", "700", "BC-24-11-00-00-01", "usw-core:2", "pp-a 2"])
      expect(searchEdgePaths(paths, q).map((p) => p.id)).toEqual(["npm:1"]);
    expect(searchEdgePaths(paths, "nothing-like-this")).toEqual([]);
  });

  it("expands a bridge over a bond to its NICs", () => {
    expect(findPhysicalNics(network.nodes[0]!.ifaces, "vmbr0")).toEqual(["eno1", "eno2"]);
  });
});

describe("computeEdgeMap: findings", () => {
  const only = (kind: FindingKind, map: ReturnType<typeof computeEdgeMap>) => map.findings.filter((f) => f.kind === kind);

  it("no-proxy-host: a served name no NPM host answers for (a wildcard host covers one level)", () => {
    const map = computeEdgeMap(
      inputs({
        servedNames: ["web.example.org", "shop.example.org", "a.b.wild.example.org", "x.wild.example.org"],
        npm: {
          data: { proxyHosts: [proxyHost(1, "web.example.org", "10.0.0.50"), proxyHost(2, "*.wild.example.org", "10.0.0.50")], streams: [] },
          freshness: fresh("npm"),
        },
      }),
    );
    expect(only("no-proxy-host", map).map((f) => f.subject)).toEqual(["shop.example.org", "a.b.wild.example.org"]);
  });

  it("forward-host-not-in-ipam: the forward IP has no IPAM record", () => {
    const map = computeEdgeMap(inputs({ ipam: { addresses: [], freshness: fresh("ipam") } }));
    expect(only("forward-host-not-in-ipam", map)).toEqual([
      { kind: "forward-host-not-in-ipam", subject: "10.0.0.50", message: expect.stringContaining("no IPAM record") },
    ]);
  });

  it("ip-on-no-guest: nothing in the live inventory holds the forward IP; the path stops at the endpoint", () => {
    const map = computeEdgeMap(
      inputs({
        inventory: { guests: [], freshness: fresh("inventory") },
        ipam: { addresses: [{ address: "10.0.0.50", mac: null, hostname: null }], freshness: fresh("ipam") },
      }),
    );
    expect(kinds(map)).toContain("ip-on-no-guest");
    expect(map.paths[0]!.hops.at(-1)!.kind).toBe("lan-endpoint");
  });

  it("guest-on-other-node: the switch sees the guest's MAC on the port cabled to another node", () => {
    const moved = unifi({
      clients: [{ mac: "bc:24:11:00:00:01", ip: "10.0.0.50", hostname: "web", isWired: true, switchMac: "f4:e2:c6:00:00:01", switchPort: 3, vlan: 11 }],
    });
    const map = computeEdgeMap(inputs({ unifi: { data: moved, freshness: fresh("unifi") } }));
    expect(only("guest-on-other-node", map)).toEqual([
      { kind: "guest-on-other-node", subject: "700", message: expect.stringMatching(/runs on pve-a, but .* cabled to pve-b/) },
    ]);
  });

  it("guest-on-other-node is not raised for a LAG member's traffic reported on the primary port", () => {
    expect(kinds(computeEdgeMap(inputs()))).not.toContain("guest-on-other-node");
  });

  it("node-nic-unmapped: a NIC under a bridge or bond with no port map row", () => {
    const map = computeEdgeMap(inputs({ portMap: [row(1, "1", "pve-a", "eno1", "1")] }));
    // pve-b: no row and nothing proposes one (no LLDP, none of its guests seen): one finding for the node.
    expect(only("node-nic-unmapped", map).map((f) => f.subject)).toEqual(["pve-a/eno2", "pve-b"]);
    expect(map.paths[0]!.hops.map((h) => h.label)).toContain("pve-a eno2: no mapped switch port");
  });

  it("forward-ip-moved: a port forward to an address whose machine (by its IPAM MAC) now has another address", () => {
    const forward = { id: "pf-1", name: "web https", isEnabled: true, proto: "tcp" as const, externalPort: "443", forwardIp: "10.0.0.49", forwardPort: "443" };
    const map = computeEdgeMap(
      inputs({
        unifi: { data: unifi({ portForwards: [forward] }), freshness: fresh("unifi") },
        ipam: {
          addresses: [
            { address: "10.0.0.49", mac: "BC:24:11:00:00:01", hostname: "web-old" },
            { address: "10.0.0.50", mac: "bc:24:11:00:00:01", hostname: "web" },
          ],
          freshness: fresh("ipam"),
        },
      }),
    );
    expect(only("forward-ip-moved", map)).toEqual([
      { kind: "forward-ip-moved", subject: "10.0.0.49", message: "forward to 10.0.0.49, but 700 web (bc:24:11:00:00:01) is now at 10.0.0.50" },
    ]);
    expect(kinds(map)).not.toContain("ip-on-no-guest");
  });

  it("certificate-expiring: within 14 days or already expired, not at 14 days or more", () => {
    const at = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();
    const hosts = [
      proxyHost(1, "web.example.org", "10.0.0.50", { certificate: { id: 1, niceName: "web", expiresOn: at(13.5) } }),
      proxyHost(2, "old.example.org", "10.0.0.50", { certificate: { id: 2, niceName: "old", expiresOn: at(-2) } }),
      proxyHost(3, "ok.example.org", "10.0.0.50", { certificate: { id: 3, niceName: "ok", expiresOn: at(14) } }),
      proxyHost(4, "plain.example.org", "10.0.0.50", { certificate: null }),
    ];
    const map = computeEdgeMap(inputs({ npm: { data: { proxyHosts: hosts, streams: [] }, freshness: fresh("npm") } }));
    expect(only("certificate-expiring", map).map((f) => f.message)).toEqual([
      'certificate "web" for web.example.org expires in 13 day(s)',
      'certificate "old" for old.example.org expired 2 day(s) ago',
    ]);
  });

  it("port-map-disagrees: a typed row that LLDP contradicts is flagged, and the typed row still drives the path", () => {
    const map = computeEdgeMap(inputs({ portMap: [row(1, "1", "pve-a", "eno2", "1"), row(2, "2", "pve-a", "eno1", "2"), row(3, "3", "pve-b", "eno1", "3")] }));
    expect(only("port-map-disagrees", map)).toEqual([
      { kind: "port-map-disagrees", subject: "usw-core:1", message: "usw-core:1: typed far-end NIC eno2, but LLDP hears port eno1" },
    ]);
    expect(map.paths[0]!.hops.filter((h) => h.kind === "switch-port").map((h) => [h.detail, h.label])).toEqual([
      ["pve-a eno1", "usw-core 2"],
      ["pve-a eno2", "usw-core 1"],
    ]);
  });

  it("resolves a proxy host that forwards to a guest's name, and flags a name nothing knows", () => {
    const map = computeEdgeMap(
      inputs({
        npm: {
          data: { proxyHosts: [proxyHost(1, "web.example.org", "web"), proxyHost(2, "ghost.example.org", "ghost-ct")], streams: [] },
          freshness: fresh("npm"),
        },
      }),
    );
    expect(map.paths.find((p) => p.id === "npm:1")!.hops.find((h) => h.kind === "guest")!.label).toBe("CT 700 web");
    expect(map.paths.find((p) => p.id === "npm:2")!.findings).toEqual([{ kind: "forward-host-not-in-ipam", subject: "ghost-ct", message: expect.any(String) }]);
  });
});

describe("computeEdgeMap: our Juniper switches' LLDP (junos-lldp)", () => {
  const junos = (over: Partial<JunosLinkFact> = {}): JunosLinkFact => ({
    switchName: "ex-core",
    neighbors: [
      { localPort: "ge-0/0/0", parentBundle: "ae0", chassisId: "0c:c4:7a:aa:00:01", portInfo: "eno1", systemName: "pve-a.example.org" },
      { localPort: "ge-0/0/1", parentBundle: "ae0", chassisId: "0c:c4:7a:aa:00:01", portInfo: "eno2", systemName: "pve-a.example.org" },
    ],
    bundles: [],
    problems: [],
    freshness: fresh("junos-lldp"),
    ...over,
  });
  // UniFi hears nothing over LLDP here, so what is proposed comes from our switch alone.
  const quietUnifi = {
    data: unifi({ devices: unifi().devices.map((d) => ({ ...d, ports: d.ports.map((p) => ({ ...p, lldp: [] })) })) }),
    freshness: fresh("unifi"),
  };
  const inputs = (over: Partial<EdgeInputs> = {}) => allInputs({ unifi: quietUnifi, ...over });
  const switchHops = (map: ReturnType<typeof computeEdgeMap>) =>
    map.paths[0]!.hops.filter((h) => h.kind === "switch-port" || h.kind === "patch-panel").map((h) => [h.label, h.freshness.source]);

  it("maps a node's NICs to the ports our switch hears them on, with the source and its freshness", () => {
    const map = computeEdgeMap(inputs({ portMap: [], junos: [junos()] }));
    expect(switchHops(map)).toEqual([
      ["ex-core ge-0/0/0", "junos-lldp"],
      ["ex-core ge-0/0/1", "junos-lldp"],
    ]);
    expect(map.paths[0]!.hops.find((h) => h.label === "ex-core ge-0/0/0")).toMatchObject({
      detail: "pve-a eno1 in ae0, proposed from our switch's LLDP, unconfirmed",
      isUnconfirmed: true,
    });
    expect(map.findings.filter((f) => f.subject.startsWith("pve-a/"))).toEqual([]);
    // Without the switch's reading only UniFi's client table places pve-a (its guest behind LAG 1): NIC unknown.
    const withoutJunos = computeEdgeMap(inputs({ portMap: [] }));
    expect(withoutJunos.proposals.map((p) => [p.port, p.farHost, p.farNic, p.source])).toEqual([
      ["1", "pve-a", null, "unifi-clients"],
      ["2", "pve-a", null, "unifi-clients"],
    ]);
    expect(withoutJunos.findings.map((f) => f.subject)).toEqual(["pve-b"]);
    expect(searchEdgePaths(map.paths, "ex-core:ae0").map((p) => p.id)).toEqual(["npm:1"]);
  });

  it("shows the patch panel a typed row gives the heard port, and one hop where typed and heard agree", () => {
    const typed = row(7, "ge-0/0/0", "pve-a", "eno1", "7", { switchName: "ex-core" });
    const map = computeEdgeMap(inputs({ portMap: [typed], junos: [junos()] }));
    expect(switchHops(map)).toEqual([
      ["ex-core ge-0/0/0", "junos-lldp"],
      ["PP-A / 7", "port-map"],
      ["ex-core ge-0/0/1", "junos-lldp"],
    ]);
    expect(map.findings.filter((f) => f.subject.startsWith("pve-a") || f.kind === "port-map-disagrees")).toEqual([]);
  });

  it("expands a neighbour heard on an ae to the bundle's members, matched by the NIC's MAC as a typed row records it", () => {
    const byMac = junos({
      neighbors: [{ localPort: "ae0", parentBundle: null, chassisId: "aa:bb:cc:dd:ee:01", portInfo: "bond0", systemName: null }],
      bundles: [
        {
          bundle: "ae0",
          members: ["xe-0/0/4", "xe-0/0/5"].map((port) => ({ port, actor: null, partner: null, receiveState: null, transmitState: null, muxState: null })),
        },
      ],
    });
    const typed = row(9, "old-9", "pve-a", "eno1", "9", { switchName: "other", farMac: "AA-BB-CC-DD-EE-01" });
    const map = computeEdgeMap(inputs({ portMap: [typed], junos: [byMac] }));
    expect(map.proposals.filter((p) => p.switchName === "ex-core").map((p) => [p.switchName, p.port, p.farHost, p.farNic, p.lag])).toEqual([
      ["ex-core", "xe-0/0/4", "pve-a", "bond0", "ae0"],
      ["ex-core", "xe-0/0/5", "pve-a", "bond0", "ae0"],
    ]);
    // eno1 has its typed row; eno2, in bond0, follows the proposal.
    expect(switchHops(map)).toContainEqual(["ex-core xe-0/0/4", "junos-lldp"]);
    expect(switchHops(map)).toContainEqual(["ex-core xe-0/0/5", "junos-lldp"]);
    // The typed row puts the NIC elsewhere: flagged, and still shown.
    expect(map.findings).toContainEqual({
      kind: "port-map-disagrees",
      subject: "other:old-9",
      message: "other:old-9: typed as pve-a eno1, but LLDP hears pve-a eno1 on ex-core xe-0/0/4, ex-core xe-0/0/5",
    });
    expect(switchHops(map)).toContainEqual(["other old-9", "port-map"]);
  });

  it("does not take the host's one chassis MAC for every NIC: the port id that names another NIC wins", () => {
    const typed = row(11, "x", "pve-a", "eno1", "11", { switchName: "other", farMac: "0c:c4:7a:aa:00:01" });
    const sameChassis = junos({
      neighbors: [
        { localPort: "ge-0/0/0", parentBundle: null, chassisId: "0c:c4:7a:aa:00:01", portInfo: "eno1", systemName: null },
        { localPort: "ge-0/0/1", parentBundle: null, chassisId: "0c:c4:7a:aa:00:01", portInfo: "eno2", systemName: null },
      ],
    });
    const map = computeEdgeMap(inputs({ portMap: [typed], junos: [sameChassis] }));
    expect(map.proposals.filter((p) => p.switchName === "ex-core").map((p) => [p.port, p.farHost, p.farNic, p.contradicts?.entryId ?? null])).toEqual([
      ["ge-0/0/0", "pve-a", "eno1", 11],
      ["ge-0/0/1", "pve-a", "eno2", null],
    ]);
    // eno1 keeps its typed row (the proposal contradicting it is flagged); eno2 follows its own port, unconfirmed.
    const eno2 = map.paths[0]!.hops.find((h) => h.label === "ex-core ge-0/0/1")!;
    expect(eno2.detail).toBe("pve-a eno2, proposed from our switch's LLDP, unconfirmed");
    expect(switchHops(map)).not.toContainEqual(["ex-core ge-0/0/0", "junos-lldp"]);
  });

  it("flags a typed row on our switch's port whose far end the LLDP neighbour contradicts", () => {
    const typed = row(8, "ge-0/0/1.0", "pve-a", "eno3", "8", { switchName: "ex-core" });
    const map = computeEdgeMap(inputs({ portMap: [typed], junos: [junos()] }));
    expect(map.findings.filter((f) => f.kind === "port-map-disagrees")).toEqual([
      { kind: "port-map-disagrees", subject: "ex-core:ge-0/0/1.0", message: "ex-core:ge-0/0/1.0: typed far-end NIC eno3, but LLDP hears port eno2" },
    ]);
    const host = row(10, "ge-0/0/0", "pve-b", "eno1", "10", { switchName: "ex-core" });
    expect(computeEdgeMap(inputs({ portMap: [host], junos: [junos()] })).findings.map((f) => f.message)).toContain(
      "ex-core:ge-0/0/0: typed far-end host pve-b, but LLDP hears pve-a.example.org",
    );
  });

  it("names what each neighbour is (node, switch, typed row) and flags the ones nothing names", () => {
    const heard = junos({
      neighbors: [
        ...junos().neighbors,
        { localPort: "ge-0/0/46", parentBundle: null, chassisId: "00:19:e2:50:3f:a0", portInfo: "ge-0/0/47", systemName: "ex-edge" },
        { localPort: "ge-0/0/20", parentBundle: null, chassisId: "52:54:00:12:34:56", portInfo: "eth0", systemName: "mystery-box" },
        { localPort: "ge-0/0/21.0", parentBundle: null, chassisId: "52:54:00:12:34:57", portInfo: "eth0", systemName: null },
        { localPort: "ge-0/0/22", parentBundle: null, chassisId: "aa:bb:cc:02:06:00", portInfo: "enp1s0f0", systemName: "bond-206" },
      ],
    });
    const typed = row(12, "ge-0/0/21", "backup-nas", "eth0", "12", { switchName: "ex-core" });
    const data = {
      ...inputs({ portMap: [typed], junos: [heard, junos({ switchName: "ex-edge", neighbors: [] })] }),
      panelPorts: [{ switchName: "ex-core", port: "ge-0/0/22", serverId: 206 }],
    };
    expect(identifyLldpNeighbors(data).map((n) => [n.neighbor.localPort, n.identity])).toEqual([
      ["ge-0/0/0", { kind: "node", name: "pve-a" }],
      ["ge-0/0/1", { kind: "node", name: "pve-a" }],
      ["ge-0/0/46", { kind: "switch", name: "ex-edge" }],
      ["ge-0/0/20", { kind: "unknown", name: null }],
      ["ge-0/0/21.0", { kind: "port-map", name: "backup-nas eth0" }],
      ["ge-0/0/22", { kind: "panel-server", name: "Tenantos server 206" }],
    ]);
    expect(computeEdgeMap(data).findings.filter((f) => f.kind === "lldp-neighbor-unknown")).toEqual([
      {
        kind: "lldp-neighbor-unknown",
        subject: "ex-core:ge-0/0/20",
        message: "ex-core ge-0/0/20 hears chassis 52:54:00:12:34:56 port eth0 (mystery-box): no node, switch, port map row or Tenantos server names it",
      },
    ]);
  });

  it("carries a failed or old reading's staleness onto the hop", () => {
    const stale: Freshness = {
      source: "junos-lldp",
      collectedAt: new Date("2026-11-20T03:00:00Z"),
      isStale: true,
      error: "switch refused `show lldp neighbors`",
    };
    const map = computeEdgeMap(inputs({ portMap: [], junos: [junos({ freshness: stale })] }));
    expect(map.paths[0]!.hops.find((h) => h.label === "ex-core ge-0/0/0")!.freshness).toEqual(stale);
  });
});

describe("computePathDiagram: the path as a picture", () => {
  it("draws every hop in order, named by kind and linked to the page about it", () => {
    const path = computeEdgeMap(inputs()).paths.find((p) => p.id === "npm:1")!;
    const diagram = computePathDiagram(path, { "usw-core": 4 });
    expect(diagram.steps.map((s) => [s.kindLabel, s.label, s.href])).toEqual([
      ["hostname", "web.example.org", "/it/ports?q=web.example.org"],
      ["NPM", "NPM #1 → http://10.0.0.50:3000", null],
      ["IP:port", "10.0.0.50:3000", "/it/addresses/10.0.0.50"],
      ["VMID", "CT 700 web", "/it/proxmox#node-pve-a"],
      ["node", "pve-a", "/it/hosts#host-pve-a"],
      ["node NIC", "vmbr0 → bond0", null],
      ["switch port", "usw-core 1", "/it/switches/4"],
      ["patch panel", "PP-A / 1", null],
      ["switch port", "usw-core 2", "/it/switches/4"],
      ["patch panel", "PP-A / 2", null],
    ]);
    expect(diagram.description).toMatch(/^web\.example\.org \(hostname\) → NPM #1 .* → PP-A \/ 2 \(patch panel\)$/);
  });

  it("links a switch the console does not manage to the port map, and marks stale and unconfirmed hops", () => {
    const stale: Freshness = { source: "npm", collectedAt: null, isStale: true, error: "down" };
    const map = computeEdgeMap(inputs({ npm: { data: { proxyHosts: [proxyHost(1, "web.example.org", "10.0.0.50")], streams: [] }, freshness: stale } }));
    const diagram = computePathDiagram(map.paths.find((p) => p.id === "npm:1")!);
    expect(diagram.steps.find((s) => s.kind === "switch-port")!.href).toBe("/it/ports?q=usw-core%3A1");
    expect(diagram.steps[0]).toMatchObject({ isStale: true });
    expect(diagram.description).toContain("web.example.org (hostname, stale)");
  });
});
