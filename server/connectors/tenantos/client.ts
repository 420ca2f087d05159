import { requestJson } from "../http-json";

export type TenantosErrorKind = "auth" | "not-found" | "unreachable" | "timeout" | "tls" | "http" | "too-large";

export class TenantosError extends Error {
  constructor(
    readonly kind: TenantosErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "TenantosError";
  }
}

export interface TenantosConfig {
  /** The panel's base URL, e.g. https://panel.example; the API lives under /api. */
  baseUrl: string;
  apiKey: string;
  /** Deadline for each whole request, answer included. */
  timeoutMs?: number;
  /** Largest answer read into memory (default 16 MiB); a larger one fails with kind "too-large". */
  maxBytes?: number;
  /** Extra tries after a 5xx or a timeout (with backoff); 4xx are never retried. */
  retries?: number;
  ca?: string;
  fingerprint256?: string;
}

export interface TenantosServer {
  id: number;
  name: string;
  hostname: string;
  primaryIp: string | null;
  pxeMac: string | null;
}

export interface TenantosIpAssignment {
  ip: string;
  subnetId: number;
  isPrimary: boolean;
}

export interface TenantosSwitchConnection {
  connectionId: number;
  switchId: number;
  portId: number;
  portName: string;
  isSwitchAutomationOn: boolean;
}

export interface TenantosClient {
  /** An authenticated look-up of a documentation address (TEST-NET-1): proves URL and key, finds nothing. */
  ping(): Promise<void>;
  /** Every server in the panel (one call; Tenantos answers the whole list). */
  listServers(): Promise<TenantosServer[]>;
  getServer(id: number): Promise<TenantosServer>;
  getServerByIp(ip: string): Promise<TenantosServer | null>;
  getIpAssignments(serverId: number): Promise<TenantosIpAssignment[]>;
  /** Only `snmp_switch` connections: the switch ports the server hangs on. */
  getSwitchConnections(serverId: number): Promise<TenantosSwitchConnection[]>;
  getSubnetVlan(subnetId: number): Promise<number | null>;
  getNetworkDevice(id: number): Promise<{ id: number; name: string; managementIp: string; sshPort: number }>;
}

type Raw = Record<string, unknown>;

/** Tenantos answers `{"result": …}`; field names are mapped here and only here. */
export function createTenantosClient(cfg: TenantosConfig): TenantosClient {
  const base = `${cfg.baseUrl.replace(/\/$/, "")}/api`;
  const retries = cfg.retries ?? 2;

  async function get(path: string, opts: { isMissingOk?: boolean } = {}): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await requestJson(`${base}${path}`, { headers: { authorization: `Bearer ${cfg.apiKey}` }, timeoutMs: cfg.timeoutMs ?? 10_000, maxBytes: cfg.maxBytes, ca: cfg.ca, fingerprint256: cfg.fingerprint256 });
      } catch (e) {
        const err = e as Error & { kind: TenantosErrorKind };
        if (err.kind === "timeout" && attempt < retries) continue;
        if (err.kind === "too-large") throw new TenantosError("too-large", `Tenantos ${path}: answer too large to read (${err.message})`);
        throw new TenantosError(err.kind, `Tenantos ${path}: ${err.message}`);
      }
      if (res.status >= 500 && attempt < retries) {
        await new Promise((r) => setTimeout(r, 200 * 3 ** attempt));
        continue;
      }
      if (res.status === 401 || res.status === 403) throw new TenantosError("auth", `Tenantos refused the API key (${res.status})`);
      if (res.status === 404) {
        if (opts.isMissingOk) return null;
        throw new TenantosError("not-found", `Tenantos ${path}: not found`);
      }
      if (res.status !== 200) throw new TenantosError("http", `Tenantos ${path}: HTTP ${res.status}`);
      return (res.json as { result?: unknown } | null)?.result;
    }
  }

  const toServer = (r: Raw): TenantosServer => ({
    id: Number(r.id),
    name: String(r.servername ?? r.hostname ?? r.id),
    hostname: String(r.hostname ?? ""),
    primaryIp: (r.primaryip as string | null) ?? null,
    pxeMac: (r.pxe_mac as string | null) ?? null,
  });

  return {
    ping: async () => {
      await get("/servers/getByIp/192.0.2.1", { isMissingOk: true });
    },
    listServers: async () => ((await get("/servers")) as Raw[]).map(toServer),
    getServer: async (id) => toServer((await get(`/servers/${Number(id)}`)) as Raw),
    getServerByIp: async (ip) => {
      const r = await get(`/servers/getByIp/${encodeURIComponent(ip)}`, { isMissingOk: true });
      return r ? toServer(r as Raw) : null;
    },
    getIpAssignments: async (serverId) =>
      ((await get(`/servers/${Number(serverId)}/ipassignments`)) as Raw[]).map((r) => ({ ip: String(r.ip), subnetId: Number(r.subnet_id), isPrimary: Number(r.primary_ip) === 1 })),
    getSwitchConnections: async (serverId) =>
      ((await get(`/servers/${Number(serverId)}/connections`)) as Array<{ id: number; related_data?: { type?: string }; meta?: Raw }>)
        .filter((c) => c.related_data?.type === "snmp_switch")
        .map((c) => ({
          connectionId: Number(c.id),
          switchId: Number(c.meta?.switchId),
          portId: Number(c.meta?.portId),
          portName: String(c.meta?.portName ?? ""),
          isSwitchAutomationOn: c.meta?.switchAutomation === true || c.meta?.switchAutomation === 1 || c.meta?.switchAutomation === "1",
        })),
    getSubnetVlan: async (subnetId) => {
      const r = (await get(`/subnets/${Number(subnetId)}/withDetails`)) as { vlan?: { vlan_id?: number } | null };
      return r.vlan?.vlan_id ?? null;
    },
    getNetworkDevice: async (id) => {
      const r = (await get(`/networkDevices/${Number(id)}/extendedDetails`)) as Raw;
      return { id: Number(r.id), name: String(r.name), managementIp: String(r.ip), sshPort: Number(r.ssh_port ?? 22) };
    },
  };
}
