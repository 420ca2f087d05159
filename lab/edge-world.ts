import { randomUUID } from "node:crypto";
import type { LabSwitchLinks } from "./junos/links";
import type { LabNpmWorld } from "./npm";
import type { LabNodeIface, LabProxmoxWorld } from "./proxmox";
import type { LabUnifiWorld } from "./unifi";

// The edge of the demo floor, consistent with the inventory lab's cluster (lab/inventory/world.ts):
// a UniFi core switch the nodes' bonds are cabled to, NPM publishing guests by hostname, and the
// UDM's port forwards. What tests and the demo rely on:
// - portal.demo.sankofa → NPM → 192.168.11.170:3000 → CT 7800 on r630-02 → bond0 (eno1+eno2)
//   → usw-core ports 5+6 (a LAG) → patch panel PP-A 5/6 (the port map rows the demo seeds);
// - rpc.demo.sankofa's certificate expires in 7 days;
// - legacy.demo.sankofa forwards to 192.168.11.53, which no guest holds;
// - r630-04's only NIC (eno1) is cabled nowhere the port map knows; our lab-ex3400 hears it over
//   LLDP on ge-0/0/2, a member of ae1 (where Tenantos puts server 205 = r630-04), so once a backup
//   has read the switch, build.demo.sankofa → CT 8701 on r630-04 → eno1 → lab-ex3400 ge-0/0/2;
// - ml110 sends no LLDP (no lldpd) and hangs off an unmanaged access switch UniFi reports nothing of:
//   no row, no proposal, the one "node unmapped" finding;
// - every other node sends LLDP (usw-core hears r630-01..03 on their LAG ports, lab-ex3400 hears
//   r630-04), so the port map proposes their rows; the demo types r630-02's and r630-03's rows
//   (with patch panel positions) and leaves r630-01's and r630-04's to be confirmed.

export const USW_CORE_MAC = "f4:e2:c6:00:00:01";
const DAY_MS = 24 * 3600_000;

/** The demo's guests' first NIC MAC, as the inventory lab makes it. */
export const formatLabGuestMac = (vmid: number) => `bc:24:11:00:${(vmid >> 8).toString(16).padStart(2, "0")}:${(vmid & 255).toString(16).padStart(2, "0")}`;

/** Each node: two NICs in an LACP bond under a VLAN-aware bridge; r630-04 (the newest) has one NIC and no bond. */
export function buildLabNodeNetwork(node: string): LabNodeIface[] {
  if (node === "r630-04")
    return [
      { iface: "eno1", type: "eth" },
      { iface: "vmbr0", type: "bridge", bridgePorts: ["eno1"], isVlanAware: true, cidr: "192.168.11.14/24" },
    ];
  return [
    { iface: "eno1", type: "eth" },
    { iface: "eno2", type: "eth" },
    { iface: "bond0", type: "bond", slaves: ["eno1", "eno2"], bondMode: "802.3ad" },
    { iface: "vmbr0", type: "bridge", bridgePorts: ["bond0"], isVlanAware: true },
  ];
}

/** Gives every node of a lab Proxmox world its `/nodes/{node}/network`. */
export function withLabNodeNetworks(world: LabProxmoxWorld): LabProxmoxWorld {
  return { ...world, nodes: world.nodes.map((n) => ({ ...n, network: n.network ?? buildLabNodeNetwork(n.node) })) };
}

/** Which usw-core ports each node's NICs are cabled to (the demo seeds these as the port map, with panel positions). */
export const LAB_NODE_CABLING: Array<{ node: string; nic: string; port: number; panel: string; position: string }> = [
  { node: "r630-01", nic: "eno1", port: 1, panel: "PP-A", position: "1" },
  { node: "r630-01", nic: "eno2", port: 2, panel: "PP-A", position: "2" },
  { node: "r630-02", nic: "eno1", port: 5, panel: "PP-A", position: "5" },
  { node: "r630-02", nic: "eno2", port: 6, panel: "PP-A", position: "6" },
  { node: "r630-03", nic: "eno1", port: 9, panel: "PP-A", position: "9" },
  { node: "r630-03", nic: "eno2", port: 10, panel: "PP-A", position: "10" },
];

/** The management addresses of the nodes (lab/inventory/ip-addresses.conf, PROXMOX_HOST_*). */
export const LAB_NODE_ADDRESSES: Record<string, string> = {
  "r630-01": "192.168.11.10",
  "r630-02": "192.168.11.11",
  ml110: "192.168.11.12",
  "r630-03": "192.168.11.13",
  "r630-04": "192.168.11.14",
};

/** The cabling as the port map types it (UniFi core switch, patch panel, node NIC). */
export function describeLabCablingEntries() {
  return LAB_NODE_CABLING.map((c) => ({
    switchName: "usw-core",
    switchKind: "unifi" as const,
    port: String(c.port),
    panel: c.panel,
    panelPosition: c.position,
    farHost: c.node,
    farNic: c.nic,
  }));
}

/** The node MAC the lab's lldpd sends as chassis id (the same scheme the UniFi world uses). */
export const formatLabNodeChassisId = (node: string) => `0c:c4:7a:${node.slice(-2)}:00:01`;

/**
 * What our EX switches hear over LLDP and bundle with LACP (`show lldp neighbors`, `show lacp
 * interfaces`), consistent with the demo's Tenantos: r630-04 on lab-ex3400 ae1 (its second member
 * ge-0/0/3 is patched to nothing, so its LACP partner is silent), r630-01's ae0 on lab-ex3400 without
 * LLDP (its far end runs no lldpd, a guess at a real floor), and the dedicated servers on their ports,
 * named by the MAC they send (no system name, as a bare BMC-less install does: a guess).
 */
export const LAB_JUNOS_LINKS: Record<"lab-ex4200" | "lab-ex3400", LabSwitchLinks> = {
  "lab-ex4200": {
    lldp: [
      { port: "ge-0/0/7", chassisId: "aa:bb:cc:02:03:00", portInfo: "aa:bb:cc:02:03:00" },
      { port: "ge-0/0/8", chassisId: "aa:bb:cc:02:06:00", portInfo: "enp1s0f0", systemName: "bond-206" },
    ],
  },
  "lab-ex3400": {
    lldp: [
      { port: "ge-0/0/2", bundle: "ae1", chassisId: formatLabNodeChassisId("r630-04"), portInfo: "eno1", systemName: "r630-04" },
      { port: "ge-0/0/8", chassisId: "aa:bb:cc:02:06:00", portInfo: "enp1s0f1", systemName: "bond-206" },
    ],
    lacp: [
      { port: "ge-0/0/3", bundle: "ae1", isUp: false },
      { port: "ge-0/0/0", bundle: "ae0" },
      { port: "ge-0/0/1", bundle: "ae0" },
    ],
  },
};

/**
 * IPAM records the demo adds: the portal's address (so its path has no "not in IPAM" finding) and a
 * public name under NPM's zone that no proxy host answers for (a "no NPM proxy host" finding).
 */
// The portal's record carries no hostname: a second "sankofa-portal" would join the VLAN plan's planned move of that host.
export const DEMO_EDGE_ADDRESSES: Array<{ address: string; hostname: string | null }> = [
  { address: "192.168.11.170", hostname: null },
  { address: "192.168.11.99", hostname: "shop.demo.sankofa" },
];

export function buildLabUnifiWorld(opts: { extraDevices?: number } = {}): LabUnifiWorld {
  const ports = Array.from({ length: 24 }, (_, i) => {
    const idx = i + 1;
    const cabled = LAB_NODE_CABLING.find((c) => c.port === idx);
    // Each node's pair is a LAG: the odd port is the primary, the even one its member.
    const isPrimary = cabled && idx % 2 === 1;
    return {
      idx,
      name: cabled ? `${cabled.node} ${cabled.nic}` : idx === 24 ? "uplink-udm" : `Port ${idx}`,
      isUp: Boolean(cabled) || idx === 24,
      speed: cabled || idx === 24 ? 10_000 : 0,
      maxSpeedMbps: 10_000,
      isUplink: idx === 24,
      ...(isPrimary ? { lagIdx: Math.ceil(idx / 2) } : {}),
      ...(cabled && !isPrimary ? { aggregatedBy: idx - 1 } : {}),
      // lldpd on the nodes sends the NIC's name as its port id (a guess at the nodes' lldpd setting:
      // `configure lldp portidsubtype ifname`) and one chassis MAC per host; UniFi keeps it per port.
      ...(cabled ? { lldp: { chassisId: formatLabNodeChassisId(cabled.node), portId: cabled.nic } } : {}),
    };
  });
  // Extra access switches, so a device list is longer than one Integration API page (25 by default).
  const extra = Array.from({ length: opts.extraDevices ?? 0 }, (_, i) => ({
    id: randomUUID(),
    mac: `f4:e2:c6:01:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
    name: `usw-access-${i + 1}`,
    model: "USW-Lite-8-PoE",
    ip: `192.168.11.${(i % 200) + 30}`,
    ports: [{ idx: 1, name: "Port 1", isUp: true, speed: 1000, isUplink: true }],
  }));
  return {
    siteId: randomUUID(),
    siteName: "default",
    devices: [{ id: randomUUID(), mac: USW_CORE_MAC, name: "usw-core", model: "USW-Pro-Aggregation", ip: "192.168.11.2", ports }, ...extra],
    clients: [
      // The nodes themselves, wired clients on their LAG's primary port: the bridge's MAC (the
      // chassis MAC lldpd sends), the management address and the host name. stat/sta's fields are
      // unpoller/unifi's `Client` (mac, ip, hostname, is_wired, sw_mac, sw_port); that UniFi knows a
      // static-IP host's name (from its DHCP-less traffic or an alias) is a guess.
      ...LAB_NODE_CABLING.filter((c) => c.port % 2 === 1 && c.nic === "eno1").map((c) => ({
        mac: formatLabNodeChassisId(c.node),
        ip: LAB_NODE_ADDRESSES[c.node]!,
        hostname: c.node,
        isWired: true,
        swMac: USW_CORE_MAC,
        swPort: c.port,
        vlan: 11,
      })),
      // Guests seen behind their node's LAG (the primary port is what UniFi reports).
      { mac: formatLabGuestMac(7800), ip: "192.168.11.170", hostname: "sankofa-portal", isWired: true, swMac: USW_CORE_MAC, swPort: 5, vlan: 11 },
      { mac: formatLabGuestMac(2101), ip: "192.168.11.211", hostname: "besu-rpc-1", isWired: true, swMac: USW_CORE_MAC, swPort: 1, vlan: 11 },
      { mac: formatLabGuestMac(10233), ip: "192.168.11.167", hostname: "npm-primary", isWired: true, swMac: USW_CORE_MAC, swPort: 1, vlan: 11 },
      { mac: "a4:83:e7:11:22:33", ip: "192.168.11.240", hostname: "admin-laptop", isWired: false },
    ],
    networks: [
      { id: "net-default", name: "Default", purpose: "corporate", subnet: "192.168.11.1/24" },
      { id: "net-hosting", name: "Hosting", purpose: "corporate", vlan: 20, subnet: "10.20.0.1/24" },
      { id: "net-oob", name: "OOB", purpose: "corporate", vlan: 99, subnet: "10.99.0.1/24", isEnabled: true },
    ],
    portForwards: [
      { id: "pf-https", name: "npm https", isEnabled: true, proto: "tcp", dstPort: "443", fwd: "192.168.11.167", fwdPort: "443" },
      { id: "pf-http", name: "npm http", proto: "tcp", dstPort: "80", fwd: "192.168.11.167", fwdPort: "80" },
      { id: "pf-wg", name: "wireguard", isEnabled: true, proto: "udp", dstPort: "51820", fwd: "192.168.11.30", fwdPort: "51820" },
    ],
  };
}

export function buildLabNpmWorld(now: Date = new Date()): LabNpmWorld {
  const inDays = (d: number) => new Date(now.getTime() + d * DAY_MS);
  return {
    certificates: [
      { id: 1, niceName: "portal.demo.sankofa", domainNames: ["portal.demo.sankofa"], expiresOn: inDays(60), provider: "letsencrypt" },
      { id: 2, niceName: "rpc.demo.sankofa", domainNames: ["rpc.demo.sankofa"], expiresOn: inDays(7), provider: "letsencrypt" },
    ],
    proxyHosts: [
      { id: 1, domainNames: ["portal.demo.sankofa"], forwardScheme: "http", forwardHost: "192.168.11.170", forwardPort: 3000, certificateId: 1 },
      {
        id: 2,
        domainNames: ["rpc.demo.sankofa"],
        forwardScheme: "http",
        forwardHost: "192.168.11.211",
        forwardPort: 8545,
        certificateId: 2,
        locations: [{ path: "/ws", forwardScheme: "http", forwardHost: "192.168.11.221", forwardPort: 8546 }],
      },
      { id: 3, domainNames: ["legacy.demo.sankofa"], forwardScheme: "http", forwardHost: "192.168.11.53", forwardPort: 80, certificateId: 0 },
      {
        id: 4,
        domainNames: ["grafana.demo.sankofa"],
        forwardScheme: "http",
        forwardHost: "192.168.11.180",
        forwardPort: 3000,
        certificateId: 0,
        isEnabled: false,
      },
      // Published from r630-04, which only our EX switch's LLDP places (see LAB_JUNOS_LINKS).
      { id: 5, domainNames: ["build.demo.sankofa"], forwardScheme: "http", forwardHost: "192.168.11.135", forwardPort: 8080, certificateId: 0 },
    ],
    streams: [{ id: 1, incomingPort: 30303, forwardingHost: "192.168.11.100", forwardingPort: 30303, isTcp: true, isUdp: true }],
  };
}
