import { z } from "zod";
import type { GuestRrdPoint } from "@/lib/billing/usage";
import type { GuestResource } from "@/lib/inventory/live-guest";
import { connectionRequestOptions, requestJson, type HttpConnectionConfig } from "../http-json";
import type { IfaceAnswer, StorageAnswer } from "@/lib/inventory/node-facts";

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

// rrddata points: `time` always; the rest only where the RRD knows a value (PVE::RRD leaves unknown
// fields out). Only the fields usage metering reads are kept.
const rrdSchema = z.array(
  z
    .object({ time: z.number().int(), cpu: z.number().optional(), maxcpu: z.number().optional(), maxmem: z.number().optional() })
    .transform((p): GuestRrdPoint => ({
      time: p.time,
      ...(p.cpu === undefined ? {} : { cpu: p.cpu }),
      ...(p.maxcpu === undefined ? {} : { maxcpu: p.maxcpu }),
      ...(p.maxmem === undefined ? {} : { maxmem: p.maxmem }),
    })),
);

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

/** `/nodes/{node}/storage` and `/nodes/{node}/network` entries: the shapes inventory reads (lib/inventory/node-facts.ts). */
export type ProxmoxStorage = StorageAnswer;
export interface ProxmoxNodeIface extends IfaceAnswer {
  bridge_vlan_aware?: number;
  cidr?: string;
}

/**
 * `GET /nodes/{node}/status` (pve-manager PVE/API2/Nodes.pm `status`, needs `Sys.Audit` on the node):
 * `cpuinfo` {model, sockets, cores (physical, all sockets), cpus (threads)}, `memory`, `rootfs`,
 * `pveversion`, `current-kernel`, `boot-info`, `loadavg`, `cpu`. No chassis serial or system model
 * is in it, nor anywhere else in the API (`/nodes/{node}/hardware` lists only `pci` and `usb`).
 */
export interface ProxmoxNodeStatus {
  cpuinfo?: { model?: string; sockets?: number; cores?: number; cpus?: number };
  pveversion?: string;
}

/** One entry of `/nodes/{node}/storage/{storage}/content` (pve-storage API2/Storage/Content.pm). */
export interface ProxmoxVolume {
  volid: string;
  content?: string;
  format?: string;
  /** Bytes. */
  size?: number;
  vmid?: number;
}

/** A guest as `/cluster/resources?type=vm` lists it: the shape the inventory builds its snapshot from. */
export type ProxmoxGuest = GuestResource;

/** A write as the provisioning planner made it: Proxmox's own method, path and parameters. */
export interface ProxmoxWrite {
  method: "POST" | "PUT";
  path: string;
  params: Record<string, string | number>;
}

export interface ProxmoxTaskStatus {
  status: string;
  exitstatus?: string;
}

export interface ProxmoxClient {
  /** The cheapest authenticated call: proves the URL, TLS pin and token. */
  getVersion(): Promise<string>;
  listNodes(): Promise<ProxmoxNode[]>;
  listGuests(): Promise<ProxmoxGuest[]>;
  listStorage(node: string): Promise<ProxmoxStorage[]>;
  /** The node's NICs, bonds and bridges, to trace its uplinks to switch ports. */
  listNodeNetwork(node: string): Promise<ProxmoxNodeIface[]>;
  /** The node's CPU model, sockets and cores (and more the inventory does not keep). */
  getNodeStatus(node: string): Promise<ProxmoxNodeStatus>;
  getGuestConfig(g: Pick<ProxmoxGuest, "node" | "type" | "vmid">): Promise<Record<string, unknown>>;
  /** Live addresses from the QEMU agent or LXC; [] when the guest has no agent (not an error). */
  getGuestAddresses(g: Pick<ProxmoxGuest, "node" | "type" | "vmid">): Promise<Array<{ mac?: string; ips: string[] }>>;
  /**
   * A guest's RRD history (`GET …/rrddata?timeframe=…&cf=AVERAGE`): points stamped at the start of
   * their interval, unknown fields left out (PVE::RRD in pve-cluster). The resolution depends on the
   * timeframe and the node's RRD schema: PVE 8 `day` is 30 min over 35 h, PVE 9 `day` 1 min over 24 h.
   */
  getGuestRrd(g: Pick<ProxmoxGuest, "node" | "type" | "vmid">, timeframe: "day" | "week" | "month"): Promise<GuestRrdPoint[]>;
  /** `…/status/current`: running or stopped, and a lock (`create`, `backup`…) when one is held; null when the guest does not exist. */
  getGuestStatus(g: Pick<ProxmoxGuest, "node" | "type" | "vmid">): Promise<{ status: string; lock?: string } | null>;
  /** `GET /cluster/nextid` (with a VMID: that one if free, else null). Not a reservation: a create may still conflict. */
  getNextVmid(vmid?: number): Promise<number | null>;
  /** Every volume of a storage (`GET /nodes/{node}/storage/{storage}/content`); needs `Datastore.Audit` on it. */
  listStorageContent(node: string, storage: string): Promise<ProxmoxVolume[]>;
  /** vztmpl volumes of a storage (`GET /nodes/{node}/storage/{storage}/content?content=vztmpl`). */
  listTemplates(node: string, storage: string): Promise<string[]>;
  /**
   * Sends one write. Answers the task's UPID, or null for a change Proxmox made at once (config).
   * The token needs the privileges of docs/PROVISIONING.md (VM.PowerMgmt, VM.Config.*, VM.Allocate, Datastore.*).
   */
  sendWrite(call: ProxmoxWrite): Promise<string | null>;
  getTaskStatus(node: string, upid: string): Promise<ProxmoxTaskStatus>;
  /** Task log lines from line `start` (0-based), at most `limit`. */
  getTaskLog(node: string, upid: string, start: number, limit?: number): Promise<Array<{ n: number; t: string }>>;
}

export function createProxmoxClient(cfg: ProxmoxConfig): ProxmoxClient {
  const base = cfg.baseUrl.replace(/\/$/, "");
  const get = async (path: string, opts: { isAgent?: boolean; isMissingNull?: boolean; write?: ProxmoxWrite } = {}): Promise<unknown> => {
    let res;
    const verb = opts.write?.method ?? "GET";
    try {
      const request = connectionRequestOptions(cfg, { authorization: `PVEAPIToken=${cfg.tokenId}=${cfg.tokenSecret}` });
      if (opts.write) {
        request.method = opts.write.method;
        request.form = Object.fromEntries(Object.entries(opts.write.params).map(([k, v]) => [k, String(v)]));
      }
      res = await requestJson(`${base}/api2/json${path}`, request);
    } catch (e) {
      const err = e as Error & { kind: ProxmoxErrorKind };
      if (err.kind === "too-large") throw new ProxmoxError("too-large", `Proxmox GET ${path}: answer too large to read (${err.message})`);
      throw new ProxmoxError(err.kind, `Proxmox ${base}: ${err.message}`);
    }
    const body = res.json as { data?: unknown; message?: string } | null;
    if (res.status === 401) throw new ProxmoxError("auth", `Proxmox refused the API token ${cfg.tokenId}`);
    if (opts.isAgent && res.status === 500 && /agent is not running|not running/i.test(body?.message ?? "")) return null;
    if (opts.isMissingNull && res.status !== 200 && /does not exist|already exists/i.test(body?.message ?? "")) return null;
    // An error without a body (pve-http-server's own refusals) says why in its status line.
    if (res.status !== 200) throw new ProxmoxError("http", `Proxmox ${verb} ${path}: ${res.status} ${body?.message?.trim() || res.statusText}`.trim());
    return body?.data;
  };
  const guestPath = (g: Pick<ProxmoxGuest, "node" | "type" | "vmid">) => `/nodes/${encodeURIComponent(g.node)}/${g.type}/${Number(g.vmid)}`;

  return {
    getVersion: async () => String(((await get("/version")) as { version?: string } | null)?.version ?? "unknown"),
    listNodes: async () => (await get("/nodes")) as ProxmoxNode[],
    listGuests: async () => ((await get("/cluster/resources?type=vm")) as ProxmoxGuest[]).filter((g) => g.type === "qemu" || g.type === "lxc"),
    listStorage: async (node) => (await get(`/nodes/${encodeURIComponent(node)}/storage`)) as ProxmoxStorage[],
    listNodeNetwork: async (node) => (await get(`/nodes/${encodeURIComponent(node)}/network`)) as ProxmoxNodeIface[],
    getNodeStatus: async (node) => ((await get(`/nodes/${encodeURIComponent(node)}/status`)) as ProxmoxNodeStatus | null) ?? {},
    getGuestConfig: async (g) => (await get(`${guestPath(g)}/config`)) as Record<string, unknown>,
    getGuestRrd: async (g, timeframe) => {
      const path = `${guestPath(g)}/rrddata?timeframe=${timeframe}&cf=AVERAGE`;
      const r = rrdSchema.safeParse(await get(path));
      if (!r.success)
        throw new ProxmoxError(
          "http",
          `Proxmox GET ${path}: not the RRD points PVE documents (${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message})`,
        );
      return r.data;
    },
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
    getGuestStatus: async (g) => {
      const data = (await get(`${guestPath(g)}/status/current`, { isMissingNull: true })) as { status?: string; lock?: string } | null;
      return data ? { status: String(data.status ?? "unknown"), ...(data.lock ? { lock: data.lock } : {}) } : null;
    },
    getNextVmid: async (vmid) => {
      // 400 "VM n already exists" when the asked VMID is taken.
      const data = await get(`/cluster/nextid${vmid ? `?vmid=${Number(vmid)}` : ""}`, { isMissingNull: true });
      return data === null ? null : Number(data);
    },
    listStorageContent: async (node, storage) =>
      ((await get(`/nodes/${encodeURIComponent(node)}/storage/${encodeURIComponent(storage)}/content`)) as ProxmoxVolume[] | null) ?? [],
    listTemplates: async (node, storage) => {
      const data = (await get(`/nodes/${encodeURIComponent(node)}/storage/${encodeURIComponent(storage)}/content?content=vztmpl`)) as Array<{
        volid: string;
        content?: string;
      }>;
      return data.filter((v) => (v.content ?? "vztmpl") === "vztmpl").map((v) => v.volid);
    },
    sendWrite: async (call) => {
      const data = await get(call.path, { write: call });
      return typeof data === "string" && data.startsWith("UPID:") ? data : null;
    },
    getTaskStatus: async (node, upid) => {
      const data = (await get(`/nodes/${encodeURIComponent(node)}/tasks/${encodeURIComponent(upid)}/status`)) as { status?: string; exitstatus?: string };
      return { status: String(data.status ?? "unknown"), ...(data.exitstatus !== undefined ? { exitstatus: String(data.exitstatus) } : {}) };
    },
    getTaskLog: async (node, upid, start, limit = 500) =>
      ((await get(`/nodes/${encodeURIComponent(node)}/tasks/${encodeURIComponent(upid)}/log?start=${start}&limit=${limit}`)) as Array<{
        n: number;
        t: string;
      }>) ?? [],
  };
}
