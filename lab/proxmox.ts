import http from "node:http";
import type { AddressInfo } from "node:net";
import { computeConfigDigest, createLabWriteState, handleLabWrite, type LabWriteState } from "./proxmox-writes";

// The lab's Proxmox VE API over real HTTP on loopback: the endpoints and shapes the controller reads.
export interface LabGuest {
  vmid: number;
  name: string;
  node: string;
  type: "qemu" | "lxc";
  status?: "running" | "stopped";
  maxmem?: number;
  maxcpu?: number;
  config: Record<string, string | number>;
  /** QEMU agent / LXC interfaces answer; undefined = agent not running. */
  interfaces?: Array<{ name: string; mac: string; ips: string[] }>;
  /** The guest ignores an ACPI shutdown (a shutdown then waits for its timeout). */
  isHungOnShutdown?: boolean;
  /** Stretches when it was in another state than `status` (ISO times), for its RRD history. */
  history?: Array<{ from: string; to: string; status: "running" | "stopped" }>;
}

// `GET /nodes/{node}/{qemu|lxc}/{vmid}/rrddata?timeframe=…&cf=…` as PVE::RRD::create_rrd_data
// (pve-cluster src/PVE/RRD.pm) answers it: [resolution s, points] per timeframe, the old (PVE 8,
// `pve2-vm`) table or PVE 9's; the window ends at now rounded down to the resolution; each point is
// stamped with the start of its interval; a field whose value is unknown is left out. pvestatd
// writes `cpu`, `mem`, `netin`, `netout`, `diskread`, `diskwrite` as unknown while a guest is not
// running, `maxcpu`, `maxmem`, `maxdisk`, `disk` always (pve-manager PVE/Service/pvestatd.pm,
// update_qemu_status). An interval is known when the guest ran at least half of it (RRD's xff 0.5,
// PVE's RRAs use it). The lab's cpu load (0.12) and memory use (half) are made up.
const RRD_SETUP = {
  pve2: { hour: [60, 60], day: [1800, 70], week: [10_800, 70], month: [43_200, 70], year: [604_800, 70] },
  pve9: { hour: [60, 60], day: [60, 1440], week: [1800, 336], month: [1800, 1440], year: [21_600, 1440], decade: [604_800, 570] },
} as const satisfies Record<string, Record<string, readonly [number, number]>>;

function isGuestRunningAt(g: LabGuest, epochSeconds: number): boolean {
  const at = epochSeconds * 1000;
  const stretch = g.history?.find((h) => Date.parse(h.from) <= at && at < Date.parse(h.to));
  return (stretch?.status ?? g.status ?? "running") === "running";
}

function computeGuestRrd(g: LabGuest, schema: keyof typeof RRD_SETUP, timeframe: string, nowSeconds: number) {
  const setup = RRD_SETUP[schema] as Record<string, readonly [number, number]>;
  const entry = setup[schema === "pve2" && timeframe === "decade" ? "year" : timeframe];
  if (!entry) return null;
  const [reso, count] = entry;
  const ctime = reso * Math.floor(nowSeconds / reso);
  const start = ctime - reso * count;
  const maxmem = g.maxmem ?? 2 ** 31;
  const fixed = { maxcpu: g.maxcpu ?? 2, maxmem, maxdisk: 32 * 2 ** 30, disk: 0 };
  return Array.from({ length: count }, (_, i) => start + i * reso).map((time) => {
    const minutes = Math.max(1, Math.floor(reso / 60));
    let running = 0;
    for (let m = 0; m < minutes; m++) if (isGuestRunningAt(g, time + m * 60 + 30)) running++;
    const isKnown = running / minutes >= 0.5;
    return isKnown ? { time, ...fixed, cpu: 0.12, mem: maxmem / 2, netin: 1000, netout: 1000, diskread: 0, diskwrite: 0 } : { time, ...fixed };
  });
}

/**
 * One entry of `GET /nodes/{node}/network` (proxmox-api.md, Capacity: "type `eth`, `bond` with
 * `slaves`, `bridge` with `bridge_ports`, `bridge_vlan_aware`"). PVE sends `slaves` and
 * `bridge_ports` as one space-separated string and flags as 1 (or leaves them out).
 */
export interface LabNodeIface {
  iface: string;
  type: "eth" | "bond" | "bridge" | "vlan";
  isActive?: boolean;
  slaves?: string[];
  bondMode?: "802.3ad" | "active-backup" | "balance-rr";
  bridgePorts?: string[];
  isVlanAware?: boolean;
  cidr?: string;
}

export interface LabProxmoxWorld {
  nodes: Array<{
    node: string;
    maxcpu: number;
    maxmem: number;
    maxdisk: number;
    status?: "online" | "offline";
    /** Usage as /nodes reports it: CPU load 0..1, bytes of RAM and root disk in use. */
    cpu?: number;
    mem?: number;
    disk?: number;
    storage?: Array<{
      storage: string;
      type: string;
      total: number;
      used: number;
      shared?: boolean;
      content?: string;
      templates?: string[];
      /** Guest volumes beyond those the guests' configs size: detached (`unusedN`) or left behind by a deleted guest. */
      volumes?: Array<{ volume: string; vmid: number; sizeGiB: number }>;
    }>;
    /** `/nodes/{node}/network`: NICs, bonds (with `slaves`) and bridges (with `bridge_ports`). */
    network?: LabNodeIface[];
    /** `/nodes/{node}/status` `cpuinfo`: the CPU's model string as /proc/cpuinfo names it, sockets, physical cores in all. */
    cpuInfo?: { model: string; sockets: number; cores: number };
  }>;
  guests: LabGuest[];
}

export interface LabProxmox {
  url: string;
  tokenId: string;
  tokenSecret: string;
  world: LabProxmoxWorld;
  /** Simulated outage: every request answers 503 until cleared. */
  setDown(isDown: boolean): void;
  /** Tasks, the writes answered (a dry run must leave this empty), and the test's controls over tasks. */
  writes: LabWriteState;
  /** Tasks stay running until `releaseTasks` (a test's "sent, not finished yet"). */
  holdTasks(): void;
  releaseTasks(): void;
  /** The next task fails with these words. */
  failNextTask(message: string): void;
  /** Changes the guest right after the next config write is applied (someone else's change, in a test). */
  afterNextConfigWrite(change: (guest: LabGuest) => void): void;
  close(): Promise<void>;
}

export async function startLabProxmox(opts: {
  port?: number;
  world: LabProxmoxWorld;
  tokenId?: string;
  tokenSecret?: string;
  taskMs?: number;
  /** The hypervisor's clock for RRD history (default: the real one). */
  now?: () => Date;
  /** Which RRD table the nodes keep: `pve2` (PVE 8, what the lab's version says) or `pve9`. */
  rrdSchema?: keyof typeof RRD_SETUP;
}): Promise<LabProxmox> {
  const tokenId = opts.tokenId ?? "sankofa@pve!inventory";
  const tokenSecret = opts.tokenSecret ?? "0f8e6b9a-lab0-4c1d-9e2f-000000000001";
  let isDown = false;
  const world = opts.world;
  const writeState = createLabWriteState(opts.taskMs);
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json;charset=UTF-8" }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    // pve-http-server reads a body only by its Content-Length: a `Transfer-Encoding: chunked` request is
    // answered `501 chunked transfer encoding not supported` (any other encoding "Unknown transfer
    // encoding '…'"), as an empty error response that closes the connection (code ≥ 400 ends keep-alive).
    // Source: proxmox/pve-http-server src/PVE/APIServer/AnyEvent.pm, `unshift_read_header` and `error`/`response`.
    const te = req.headers["transfer-encoding"];
    if (te) {
      const reason = te.toLowerCase() === "chunked" ? "chunked transfer encoding not supported" : `Unknown transfer encoding '${te}'`;
      writeState.refusedChunked += 1;
      res.writeHead(501, reason, { connection: "close", server: "pve-api-daemon/3.0" }).end();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => answer(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  // Proxmox takes parameters as a form body (or JSON) on POST/PUT, as query parameters on GET.
  const readParams = (req: http.IncomingMessage, body: string): Record<string, string> => {
    if (!body) return {};
    if ((req.headers["content-type"] ?? "").includes("application/json")) {
      return Object.fromEntries(Object.entries(JSON.parse(body) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    }
    return Object.fromEntries(new URLSearchParams(body));
  };
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    if (isDown) return send(res, 503, { data: null, message: "service unavailable" });
    if (req.headers.authorization !== `PVEAPIToken=${tokenId}=${tokenSecret}`) return send(res, 401, { data: null, message: "authentication failure" });
    const url = new URL(req.url ?? "/", "http://lab");
    const parts = url.pathname
      .replace(/^\/api2\/json\/?/, "")
      .split("/")
      .filter(Boolean);
    const guest = (node: string, type: string, vmid: string) => world.guests.find((g) => g.node === node && g.type === type && g.vmid === Number(vmid));

    const method = req.method ?? "GET";
    let params: Record<string, string>;
    try {
      params = readParams(req, body);
    } catch {
      return send(res, 400, { data: null, message: "unable to parse the request body" });
    }
    const written = handleLabWrite(world, writeState, method, parts, url.searchParams, params, tokenId);
    if (written) return send(res, written.status, written.body);
    if (method !== "GET") return send(res, 501, { data: null, message: `Method '${method} /${parts.join("/")}' not implemented` });
    if (parts[0] === "version") return send(res, 200, { data: { version: "8.2.4", release: "8.2" } });
    if (parts.join("/") === "nodes") {
      return send(res, 200, {
        data: world.nodes.map((n) => ({
          node: n.node,
          status: n.status ?? "online",
          maxcpu: n.maxcpu,
          maxmem: n.maxmem,
          maxdisk: n.maxdisk,
          cpu: n.cpu,
          mem: n.mem,
          disk: n.disk,
          type: "node",
        })),
      });
    }
    if (parts[0] === "nodes" && parts.length === 3 && parts[2] === "storage") {
      const n = world.nodes.find((x) => x.node === parts[1]);
      if (!n) return send(res, 500, { data: null, message: `hostname lookup '${parts[1]}' failed - failed to get address info\n` });
      return send(res, 200, {
        data: (n.storage ?? []).map((s) => ({
          storage: s.storage,
          type: s.type,
          total: s.total,
          used: s.used,
          avail: s.total - s.used,
          shared: s.shared ? 1 : 0,
          content: s.content ?? "images,rootdir",
          active: 1,
          enabled: 1,
        })),
      });
    }
    if (parts[0] === "nodes" && parts.length === 3 && parts[2] === "status") {
      // Shape: pve-manager PVE/API2/Nodes.pm `status` (its return schema and code: uptime, idle, loadavg,
      // kversion, current-kernel, boot-info, cpuinfo from /proc/cpuinfo {model, sockets, cores = physical
      // cores over all sockets, cpus = threads, mhz, flags, user_hz…}, cpu, wait, memory, ksm, swap,
      // rootfs, pveversion); API viewer https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/status.
      // Nothing in it names the chassis (no serial, no system model).
      const n = world.nodes.find((x) => x.node === parts[1]);
      if (!n) return send(res, 500, { data: null, message: `hostname lookup '${parts[1]}' failed - failed to get address info\n` });
      // Guess: pveproxy forwards a node's calls to that node and answers 595 when it cannot reach it.
      if (n.status === "offline") return send(res, 595, { data: null, message: `no route to host\n` });
      const info = n.cpuInfo ?? { model: "Common KVM processor", sockets: 1, cores: n.maxcpu };
      return send(res, 200, {
        data: {
          cpu: n.cpu ?? 0,
          cpuinfo: {
            model: info.model,
            sockets: info.sockets,
            cores: info.cores,
            cpus: n.maxcpu,
            mhz: "2200.000",
            hvm: "1",
            user_hz: 100,
            flags: "fpu vme de pse",
          },
          memory: { total: n.maxmem, used: n.mem ?? 0, free: n.maxmem - (n.mem ?? 0) },
          rootfs: { total: n.maxdisk, used: n.disk ?? 0, free: n.maxdisk - (n.disk ?? 0), avail: n.maxdisk - (n.disk ?? 0) },
          loadavg: ["0.52", "0.61", "0.58"],
          pveversion: "pve-manager/8.2.4/faa83925c9641325",
          kversion: "Linux 6.8.12-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-1 (2024-08-05T16:17Z)",
          "current-kernel": { sysname: "Linux", release: "6.8.12-1-pve", version: "#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-1", machine: "x86_64" },
          "boot-info": { mode: "efi", secureboot: 0 },
          uptime: 864000,
        },
      });
    }
    if (parts[0] === "nodes" && parts.length === 3 && parts[2] === "network") {
      const n = world.nodes.find((x) => x.node === parts[1]);
      if (!n) return send(res, 500, { data: null, message: `hostname lookup '${parts[1]}' failed - failed to get address info\n` });
      return send(res, 200, {
        data: (n.network ?? []).map((i) => ({
          iface: i.iface,
          type: i.type,
          method: i.cidr ? "static" : "manual",
          families: ["inet"],
          priority: 1,
          ...(i.isActive === false ? {} : { active: 1 }),
          autostart: 1,
          ...(i.slaves ? { slaves: i.slaves.join(" "), bond_mode: i.bondMode ?? "802.3ad" } : {}),
          ...(i.bridgePorts ? { bridge_ports: i.bridgePorts.join(" "), bridge_stp: "off", bridge_fd: "0" } : {}),
          ...(i.isVlanAware ? { bridge_vlan_aware: 1 } : {}),
          ...(i.cidr ? { cidr: i.cidr, address: i.cidr.split("/")[0] } : {}),
        })),
      });
    }
    if (parts.join("/") === "cluster/resources") {
      const type = url.searchParams.get("type");
      const vms = world.guests.map((g) => ({
        id: `${g.type}/${g.vmid}`,
        vmid: g.vmid,
        name: g.name,
        node: g.node,
        type: g.type,
        status: g.status ?? "running",
        maxmem: g.maxmem ?? 2 ** 31,
        maxcpu: g.maxcpu ?? 2,
      }));
      const nodes = world.nodes.map((n) => ({
        id: `node/${n.node}`,
        node: n.node,
        type: "node",
        status: n.status ?? "online",
        maxcpu: n.maxcpu,
        maxmem: n.maxmem,
        maxdisk: n.maxdisk,
      }));
      return send(res, 200, { data: type === "vm" ? vms : type === "node" ? nodes : [...nodes, ...vms] });
    }
    if (parts[0] === "nodes" && parts.length >= 5) {
      const [, node, type, vmid, ...rest] = parts as [string, string, string, string, ...string[]];
      const g = guest(node, type, vmid);
      if (!g) return send(res, 500, { data: null, message: `Configuration file 'nodes/${node}/${type}/${vmid}.conf' does not exist\n` });
      const tail = rest.join("/");
      if (tail === "rrddata") {
        const timeframe = url.searchParams.get("timeframe") ?? "";
        const points = computeGuestRrd(g, opts.rrdSchema ?? "pve2", timeframe, Math.floor((opts.now?.() ?? new Date()).getTime() / 1000));
        if (!points)
          return send(res, 400, {
            data: null,
            message: "Parameter verification failed.",
            errors: { timeframe: `value '${timeframe}' does not have a value in the enumeration 'hour, day, week, month, year, decade'` },
          });
        return send(res, 200, { data: points });
      }
      if (tail === "config")
        return send(res, 200, { data: { ...(type === "qemu" ? { name: g.name } : { hostname: g.name }), ...g.config, digest: computeConfigDigest(g) } });
      if (tail === "agent/network-get-interfaces" && type === "qemu") {
        if (!g.interfaces) return send(res, 500, { data: null, message: "QEMU guest agent is not running\n" });
        return send(res, 200, {
          data: {
            result: g.interfaces.map((i) => ({
              name: i.name,
              "hardware-address": i.mac,
              "ip-addresses": i.ips.map((ip) => ({ "ip-address": ip, "ip-address-type": ip.includes(":") ? "ipv6" : "ipv4", prefix: 24 })),
            })),
          },
        });
      }
      if (tail === "interfaces" && type === "lxc") {
        return send(res, 200, {
          data: (g.interfaces ?? []).map((i) => ({
            name: i.name,
            hwaddr: i.mac,
            inet: i.ips.find((ip) => !ip.includes(":")) ? `${i.ips.find((ip) => !ip.includes(":"))}/24` : undefined,
          })),
        });
      }
    }
    send(res, 501, { data: null, message: `Method 'GET /${parts.join("/")}' not implemented` });
  };
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenId,
    tokenSecret,
    world,
    setDown: (v) => {
      isDown = v;
    },
    writes: writeState,
    holdTasks: () => {
      writeState.isHolding = true;
    },
    releaseTasks: () => {
      writeState.isHolding = false;
    },
    failNextTask: (message) => {
      writeState.failNext = message;
    },
    afterNextConfigWrite: (change) => {
      writeState.afterNextConfigWrite = change;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
