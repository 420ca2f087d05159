// What the edge collectors store: plain JSON in a snapshot's `data`, read by the path and the port map.
// Shapes are ours (normalised by the connectors), not the outside systems'.

export type EdgeSource = "unifi" | "npm" | "proxmox-network";

export interface EdgeSwitchPort {
  idx: number;
  name: string;
  isUp: boolean;
  speedMbps: number;
  isUplink: boolean;
  /** Set on a LAG's primary port. */
  lagIdx: number | null;
  /** Set on a LAG member: the primary port's index. A member's own up/speed are not to be trusted. */
  aggregatedBy: number | null;
  lldp: Array<{ chassisId: string; portId: string }>;
}

export interface EdgeSwitch {
  mac: string;
  name: string;
  model: string;
  ip: string | null;
  /** From the Integration API (ONLINE, OFFLINE, …) when an API key is used; null otherwise. */
  state: string | null;
  ports: EdgeSwitchPort[];
}

export interface EdgeClient {
  mac: string;
  ip: string | null;
  hostname: string | null;
  isWired: boolean;
  switchMac: string | null;
  switchPort: number | null;
  vlan: number | null;
}

export interface EdgeNetwork {
  id: string;
  name: string;
  purpose: string;
  vlanId: number | null;
  /** Gateway address + prefix as UniFi stores it ("192.168.11.1/24"). */
  subnet: string | null;
  isEnabled: boolean;
}

export interface EdgePortForward {
  id: string;
  name: string;
  isEnabled: boolean;
  proto: "tcp" | "udp" | "tcp_udp";
  externalPort: string;
  forwardIp: string;
  forwardPort: string;
}

export interface UnifiSnapshotData {
  devices: EdgeSwitch[];
  clients: EdgeClient[];
  networks: EdgeNetwork[];
  portForwards: EdgePortForward[];
}

export interface EdgeProxyHost {
  id: number;
  domainNames: string[];
  forwardScheme: string;
  forwardHost: string;
  forwardPort: number;
  isEnabled: boolean;
  isSslForced: boolean;
  locations: Array<{ path: string; forwardScheme: string; forwardHost: string; forwardPort: number }>;
  certificate: { id: number; niceName: string; expiresOn: string | null } | null;
}

export interface EdgeStream {
  id: number;
  incomingPort: number | null;
  forwardingHost: string;
  forwardingPort: number | null;
  isTcp: boolean;
  isUdp: boolean;
  isEnabled: boolean;
}

export interface NpmSnapshotData {
  proxyHosts: EdgeProxyHost[];
  streams: EdgeStream[];
}

export interface EdgeNodeIface {
  iface: string;
  type: string;
  isActive: boolean;
  /** A bond's member NICs. */
  slaves: string[];
  bondMode: string | null;
  /** A bridge's ports (a NIC or a bond). */
  bridgePorts: string[];
}

export interface NodeNetworkSnapshotData {
  nodes: Array<{ node: string; ifaces: EdgeNodeIface[] }>;
  /** Nodes whose network could not be read (offline). */
  warnings?: string[];
}

export interface EdgeSnapshotDataBySource {
  unifi: UnifiSnapshotData;
  npm: NpmSnapshotData;
  "proxmox-network": NodeNetworkSnapshotData;
}
