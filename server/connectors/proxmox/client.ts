import type { GuestResource } from "@/lib/inventory/live-guest";
import { connectionRequestOptions, requestJson, type HttpConnectionConfig } from "../http-json";

export type ProxmoxErrorKind = "auth" | "unreachable" | "timeout" | "tls" | "http" | "too-large";

export class ProxmoxError extends Error {
  constructor(
    readonly kind: ProxmoxErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ProxmoxError";
  }
}

export interface ProxmoxConfig extends HttpConnectionConfig {
  baseUrl: string;
  /** `USER@REALM!TOKENID` */
  tokenId: string;
  tokenSecret: string;
}

export interface ProxmoxNode {
  node: string;
  status: string;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  /** Usage, when the node is online: CPU load 0..1, bytes of RAM and root disk in use. */
  cpu?: number;
  mem?: number;
  disk?: number;
}

export interface ProxmoxStorage {
  storage: string;
  type: string;
  total?: number;
  used?: number;
  avail?: number;
  /** 1 when the storage is shared across nodes (NFS, Ceph): counted once for the cluster. */
  shared?: number;
  content?: string;
}

/** One entry of `/nodes/{node}/network`: `slaves` and `bridge_ports` are space-separated strings. */
export interface ProxmoxNodeIface {
  iface: string;
  type: string;
  active?: number;
  slaves?: string;
  bond_mode?: string;
  bridge_ports?: string;
  bridge_vlan_aware?: number;
  cidr?: string;
}

/** A guest as `/cluster/resources?type=vm` lists it: the shape the inventory builds its snapshot from. */
export type ProxmoxGuest = GuestResource;

export interface ProxmoxClient {
  /** The cheapest authenticated call: proves the URL, TLS pin and token. */
  getVersion(): Promise<string>;
  listNodes(): Promise<ProxmoxNode[]>;
  listGuests(): Promise<ProxmoxGuest[]>;
  listStorage(node: string): Promise<ProxmoxStorage[]>;
  /** The node's NICs, bonds and bridges, to trace its uplinks to switch ports. */
  listNodeNetwork(node: string): Promise<ProxmoxNodeIface[]>;
  getGuestConfig(g: Pick<ProxmoxGuest, "node" | "type" | "vmid">): Promise<Record<string, unknown>>;
  /** Live addresses from the QEMU agent or LXC; [] when the guest has no agent (not an error). */
  getGuestAddresses(g: Pick<ProxmoxGuest, "node" | "type" | "vmid">): Promise<Array<{ mac?: string; ips: string[] }>>;
}

export function createProxmoxClient(cfg: ProxmoxConfig): ProxmoxClient {
  const base = cfg.baseUrl.replace(/\/$/, "");
  const get = async (path: string, opts: { isAgent?: boolean } = {}): Promise<unknown> => {
    let res;
    try {
      res = await requestJson(`${base}/api2/json${path}`, connectionRequestOptions(cfg, { authorization: `PVEAPIToken=${cfg.tokenId}=${cfg.tokenSecret}` }));
    } catch (e) {
      const err = e as Error & { kind: ProxmoxErrorKind };
      if (err.kind === "too-large") throw new ProxmoxError("too-large", `Proxmox GET ${path}: answer too large to read (${err.message})`);
      throw new ProxmoxError(err.kind, `Proxmox ${base}: ${err.message}`);
    }
    const body = res.json as { data?: unknown; message?: string } | null;
    if (res.status === 401) throw new ProxmoxError("auth", `Proxmox refused the API token ${cfg.tokenId}`);
    if (opts.isAgent && res.status === 500 && /agent is not running|not running/i.test(body?.message ?? "")) return null;
    if (res.status !== 200) throw new ProxmoxError("http", `Proxmox GET ${path}: ${res.status} ${body?.message?.trim() ?? ""}`.trim());
    return body?.data;
  };
  const guestPath = (g: Pick<ProxmoxGuest, "node" | "type" | "vmid">) => `/nodes/${encodeURIComponent(g.node)}/${g.type}/${Number(g.vmid)}`;

  return {
    getVersion: async () => String(((await get("/version")) as { version?: string } | null)?.version ?? "unknown"),
    listNodes: async () => (await get("/nodes")) as ProxmoxNode[],
    listGuests: async () => ((await get("/cluster/resources?type=vm")) as ProxmoxGuest[]).filter((g) => g.type === "qemu" || g.type === "lxc"),
    listStorage: async (node) => (await get(`/nodes/${encodeURIComponent(node)}/storage`)) as ProxmoxStorage[],
    listNodeNetwork: async (node) => (await get(`/nodes/${encodeURIComponent(node)}/network`)) as ProxmoxNodeIface[],
    getGuestConfig: async (g) => (await get(`${guestPath(g)}/config`)) as Record<string, unknown>,
    getGuestAddresses: async (g) => {
      if (g.type === "qemu") {
        const data = (await get(`${guestPath(g)}/agent/network-get-interfaces`, { isAgent: true })) as {
          result?: Array<{ "hardware-address"?: string; "ip-addresses"?: Array<{ "ip-address": string }> }>;
        } | null;
        return (data?.result ?? []).map((i) => ({ mac: i["hardware-address"]?.toLowerCase(), ips: (i["ip-addresses"] ?? []).map((a) => a["ip-address"]) }));
      }
      const data = (await get(`${guestPath(g)}/interfaces`, { isAgent: true })) as Array<{ hwaddr?: string; inet?: string; inet6?: string }> | null;
      return (data ?? []).map((i) => ({
        mac: i.hwaddr?.toLowerCase(),
        ips: [i.inet, i.inet6].filter((x): x is string => Boolean(x)).map((x) => x.split("/")[0]!),
      }));
    },
  };
}
