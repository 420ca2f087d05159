import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer } from "./loopback";

// The lab's Tenantos panel API over real HTTP, serving the shapes Tenantos documents (its API
// reference api.tenantos.com/docs, the public OpenAPI copy shadmanZero/tenantos-api gh-pages
// openapi/index.html, examples dated 2025-08; summarised with sources in the steering repo's
// shared/reference/tenantos-api.md). Never shaped after what the controller reads: where the docs
// are silent the lab says so and guesses in a comment.
//
// The world below is written for test authors (a server's PXE MAC, its ports by name); the server
// turns it into the documented answers: the MAC on a `dhcp` connection, the port name on the
// network device's `ports[]`, a subnet's VLAN in flat fields, no `vlan` object anywhere.

export interface LabTenantosServer {
  id: number;
  servername: string;
  hostname: string;
  /** Served as the `dhcp` connection's `related_data.meta.pxe_mac`; the server object has no MAC. */
  pxeMac?: string;
  ips: Array<{ ip: string; subnetId: number; isPrimary: boolean }>;
  /**
   * `snmp_switch` connections (meta `{switchId, portId, switchAutomation}`); `portName` is served
   * only on the network device's `ports[]` (documented: `ports[].id → name`), never in the meta.
   * `switchAutomation` left out is left out of the meta too.
   */
  connections: Array<{ id: number; type: "snmp_switch" | "ipmi" | "pxe"; switchId: number; portId: number; portName: string; switchAutomation?: boolean }>;
  /**
   * What each of its switch ports carries, as a pattern the lab turns into 5-minute samples (bits/s):
   * the base rate, optionally following the day (low at night, high in the afternoon, UTC), with a
   * burst every `burstEvery`-th slot of `burstFactor` times the rate. Left out: the panel has no samples.
   */
  traffic?: { inBps: number; outBps: number; isDaily?: boolean; burstEvery?: number; burstFactor?: number };
}

export interface LabTenantosSubnet {
  id: number;
  /** CIDR, e.g. `10.0.48.0/24`: served as `subnet` (the network) and `cidr` (the length). */
  subnet: string;
  /** Fixed mode: `static_access_vlan_id`. */
  vlanId?: number;
  /** `access_vlan_generation_mode`; range mode gives each port its own VLAN (on the switch). */
  vlanMode?: "fixed" | "range";
  range?: { start: number; end: number };
  /** `enable_switch_automation` (default on). */
  enableSwitchAutomation?: boolean;
  /** `rootSubnetId` of the assignments' `subnetinformation` (default: the subnet itself). */
  rootSubnetId?: number;
}

export interface LabTenantosWorld {
  servers: LabTenantosServer[];
  subnets: LabTenantosSubnet[];
  /** Network devices (switches); ports named by the servers' connections are added to them. */
  networkDevices: Array<{ id: number; name: string; managementIp?: string; ports?: Array<{ id: number; name: string }> }>;
}

/**
 * How the lab writes a traffic sample's `in`/`out`. The docs name no unit; "bits-per-second" is the
 * guess the lab shares with the connector. "bytes-per-interval" stands in for a panel that counts
 * otherwise, so tests can show what the nightly check against `trafficStatistics` does then.
 */
export type LabTrafficUnit = "bits-per-second" | "bytes-per-interval";

export interface LabTenantos {
  url: string;
  apiKey: string;
  world: LabTenantosWorld;
  /** Answer 5xx to the next `count` requests, as a panel under load does. */
  failNext(count: number): void;
  /**
   * API paths (`servers/40/ipassignments`) answered 500 until removed: one broken record whose
   * reads fail while the rest of the panel answers (a generic server error; the docs list no body).
   */
  failingPaths: Set<string>;
  /** Keep traffic-statistics requests waiting (a slow panel) until `releaseGraphs`; `heldGraphs` counts those waiting. */
  holdGraphs(): void;
  releaseGraphs(): void;
  readonly heldGraphs: number;
  requests: number;
  close(): Promise<void>;
}

const isIpv4 = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

function splitCidr(cidr: string): { network: string; length: number; netmask: string; gateway: string } {
  const [network, len] = cidr.split("/") as [string, string];
  const length = Number(len);
  if (!isIpv4(network)) return { network, length, netmask: "", gateway: "" };
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const netmask = [24, 16, 8, 0].map((s) => (mask >>> s) & 255).join(".");
  const parts = network.split(".").map(Number);
  parts[3] = parts[3]! + 1;
  return { network, length, netmask, gateway: parts.join(".") };
}

const SLOT_SECONDS = 300;

/** A port's rate in one 5-minute slot (slot = Unix seconds / 300), from the server's pattern. */
function rateInSlot(traffic: NonNullable<LabTenantosServer["traffic"]>, slot: number): { inBps: number; outBps: number } {
  // The day's shape: 0.2 of the peak at 03:00 UTC, the peak at 15:00.
  const hour = ((slot * SLOT_SECONDS) % 86_400) / 3600;
  const daily = traffic.isDaily ? 0.6 - 0.4 * Math.cos(((hour - 3) / 24) * 2 * Math.PI) : 1;
  const burst = traffic.burstEvery && slot % traffic.burstEvery === 0 ? (traffic.burstFactor ?? 5) : 1;
  return { inBps: Math.round(traffic.inBps * daily * burst), outBps: Math.round(traffic.outBps * daily * burst) };
}

/** "Top 5% of all values are removed" (the docs' words for the 95th): the highest value left. */
function panelPercentile95(values: number[]): number {
  if (values.length === 0) return 0;
  const ascending = [...values].sort((a, b) => a - b);
  const kept = ascending.slice(0, ascending.length - Math.floor(ascending.length * 0.05));
  return kept[kept.length - 1]!;
}

export async function startLabTenantos(opts: {
  port?: number;
  world: LabTenantosWorld;
  apiKey?: string;
  /** The panel's clock for `trafficStatistics` and `predefined` ranges (default: the real one). */
  now?: () => Date;
  trafficUnit?: LabTrafficUnit;
}): Promise<LabTenantos> {
  const apiKey = opts.apiKey ?? "lab-tenantos-api-key";
  const world = opts.world;
  const now = opts.now ?? (() => new Date());
  let failures = 0;
  const failingPaths = new Set<string>();
  const state = { requests: 0 };
  let isHoldingGraphs = false;
  let held: Array<() => void> = [];
  // Every answer is wrapped: {"result": …, "message": "success"} (docs: Transport).
  const ok = (res: http.ServerResponse, result: unknown) => send(res, 200, { result, message: "success" });
  const send = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

  const switchPorts = (s: LabTenantosServer) => s.connections.filter((c) => c.type === "snmp_switch");

  // A server's samples per slot, all its ports added: what the panel's own figures are made from.
  const serverRates = (s: LabTenantosServer, fromSlot: number, toSlot: number) => {
    const out: Array<{ inBps: number; outBps: number }> = [];
    if (!s.traffic) return out;
    for (let slot = fromSlot; slot < toSlot; slot++) {
      const r = rateInSlot(s.traffic, slot);
      out.push({ inBps: r.inBps * switchPorts(s).length, outBps: r.outBps * switchPorts(s).length });
    }
    return out;
  };

  // `trafficStatistics` (docs: Servers; example values are strings with two decimals, units not
  // stated). The lab prints volumes in GB and the 95th in Mbit/s, the reading the documented
  // examples fit (422.04 GB in 30 days beside a 4.12 Mbit/s 95th): a guess, as the connector's is.
  const statisticsCache = new Map<string, Record<string, string>>();
  const trafficStatistics = (s: LabTenantosServer) => {
    const endSlot = Math.floor(now().getTime() / 1000 / SLOT_SECONDS);
    const key = `${s.id}:${endSlot}:${JSON.stringify(s.traffic ?? null)}:${switchPorts(s).length}`;
    const cached = statisticsCache.get(key);
    if (cached) return cached;
    const rates = serverRates(s, endSlot - 30 * 288, endSlot);
    const gb = (lastDays: number) => (rates.slice(rates.length - lastDays * 288).reduce((sum, r) => sum + r.inBps + r.outBps, 0) * SLOT_SECONDS) / 8 / 1e9;
    const mbps = (values: number[]) => (panelPercentile95(values) / 1e6).toFixed(2);
    const figures = {
      "1d": gb(1).toFixed(2),
      "7d": gb(7).toFixed(2),
      "14d": gb(14).toFixed(2),
      "30d": gb(30).toFixed(2),
      "95th_in_30d": mbps(rates.map((r) => r.inBps)),
      "95th_out_30d": mbps(rates.map((r) => r.outBps)),
      // "95th percentile stats are not just summed": the 95th of in+out per sample.
      "95th_total_30d": mbps(rates.map((r) => r.inBps + r.outBps)),
    };
    statisticsCache.set(key, figures);
    return figures;
  };

  // GET /api/servers/{id}: primary IP as `primaryip` (no underscore); no MAC field (docs: Servers).
  // `servername` and `hostname` as the OpenAPI copy's examples for GET /api/servers and
  // /api/servers/{id} give them ("servername": "server-001", "hostname": "hostname.com").
  const serverObject = (s: LabTenantosServer) => ({
    id: s.id,
    servername: s.servername,
    hostname: s.hostname,
    primaryip: s.ips.find((i) => i.isPrimary)?.ip ?? null,
    trafficStatistics: trafficStatistics(s),
  });

  // POST /api/servers/{id}/stats/network/graph (docs: Server Statistics): 5-minute values per port,
  // each port holding a `stats` array. The body's `from`/`to` are dates without a zone (the lab reads
  // them as UTC: a guess) or `predefined`. GUESSES, shared with the connector because the docs give
  // no answer shape: `result` is a list of ports {id, name, stats}, a sample is {time (Unix
  // seconds), in, out}, and a slot is included when from <= its time <= to.
  const networkGraph = (s: LabTenantosServer, body: Record<string, unknown>): { error: string } | { ports: unknown[] } => {
    const nowMs = now().getTime();
    const presets: Record<string, number> = { "1h": 3600, "24h": 86_400, "14days": 14 * 86_400, "30days": 30 * 86_400 };
    let fromMs: number;
    let toMs: number;
    if (typeof body.predefined === "string") {
      if (!(body.predefined in presets)) return { error: `The selected predefined is invalid (the lab serves ${Object.keys(presets).join(", ")}).` };
      fromMs = nowMs - presets[body.predefined]! * 1000;
      toMs = nowMs;
    } else {
      const parse = (v: unknown) => (typeof v === "string" ? Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`) : NaN);
      fromMs = parse(body.from);
      toMs = parse(body.to);
      if (Number.isNaN(fromMs)) return { error: "The from must be a valid date." };
      if (Number.isNaN(toMs)) return { error: "The to must be a valid date." };
    }
    const fromSlot = Math.ceil(fromMs / 1000 / SLOT_SECONDS);
    const toSlot = Math.min(Math.floor(toMs / 1000 / SLOT_SECONDS), Math.floor(nowMs / 1000 / SLOT_SECONDS));
    const toValue = (bps: number) => (opts.trafficUnit === "bytes-per-interval" ? Math.round((bps * SLOT_SECONDS) / 8) : bps);
    return {
      ports: switchPorts(s).map((c) => {
        const stats = [];
        if (s.traffic)
          for (let slot = fromSlot; slot <= toSlot; slot++) {
            const r = rateInSlot(s.traffic, slot);
            stats.push({ time: slot * SLOT_SECONDS, in: toValue(r.inBps), out: toValue(r.outBps) });
          }
        return { id: c.portId, name: c.portName, stats };
      }),
    };
  };

  const subnetObject = (sn: LabTenantosSubnet) => {
    const { network, length, netmask, gateway } = splitCidr(sn.subnet);
    const isRange = sn.vlanMode === "range";
    // Flat VLAN fields (docs: Subnets and VLANs); the 0/1 of enable_switch_automation is a guess
    // (Laravel's usual boolean column), the controller accepts both.
    return {
      id: sn.id,
      subnet: network,
      cidr: length,
      netmask,
      gw: gateway,
      enable_switch_automation: sn.enableSwitchAutomation === false ? 0 : 1,
      vlan_mode: "access",
      access_vlan_generation_mode: isRange ? "range" : "fixed",
      static_access_vlan_id: isRange ? null : (sn.vlanId ?? null),
      range_start_access_vlan_id: isRange ? (sn.range?.start ?? null) : null,
      range_end_access_vlan_id: isRange ? (sn.range?.end ?? null) : null,
      trunk_vlans: null,
      vlan_layer3_mode: null,
      reuse_access_vlan: 0,
      use_existing_port_access_vlan: 0,
      vlanAutomationAvailable: true,
    };
  };

  // GET /api/servers/{id}/ipassignments (docs: IP assignments): `primary_ip` 0/1; the subnet as
  // `subnetinformation` without its id (the documented example has none; rootSubnetId is there).
  const assignment = (s: LabTenantosServer, i: LabTenantosServer["ips"][number], n: number) => {
    const sn = world.subnets.find((x) => x.id === i.subnetId);
    const { network, length, netmask, gateway } = sn ? splitCidr(sn.subnet) : { network: "", length: 0, netmask: "", gateway: "" };
    return {
      id: s.id * 1000 + n,
      updated_at: "2026-11-01T00:00:00.000000Z",
      ip: i.ip,
      primary_ip: i.isPrimary ? 1 : 0,
      description: "",
      ipAttributes: { isIpv4: isIpv4(i.ip), isIpv6: !isIpv4(i.ip), isSubnet: false },
      subnetinformation: {
        cidr: length,
        subnet: network,
        netmask,
        gw: gateway,
        type: isIpv4(i.ip) ? "ipv4" : "ipv6",
        rdnsAvailable: false,
        vlanAutomationAvailable: true,
        subnetOwnedByUser: false,
        rootSubnetId: sn?.rootSubnetId ?? i.subnetId,
        isExternalProvider: false,
      },
    };
  };

  // GET /api/servers/{id}/connections (docs: Connections): `related_data.type` snmp_switch with meta
  // {switchId, portId}; the PXE MAC on the `dhcp` connection's meta.
  const connections = (s: LabTenantosServer) => [
    ...s.connections.map((c) => ({
      id: c.id,
      agentId: c.switchId,
      serverId: s.id,
      types: [c.type],
      agent_details: { id: c.switchId, type: c.type },
      related_data: {
        id: c.id,
        type: c.type,
        meta:
          c.type === "snmp_switch"
            ? { switchId: c.switchId, portId: c.portId, ...(c.switchAutomation === undefined ? {} : { switchAutomation: c.switchAutomation }) }
            : {},
      },
    })),
    ...(s.pxeMac
      ? [
          {
            id: s.id * 100 + 99,
            agentId: 1,
            serverId: s.id,
            types: ["dhcp"],
            agent_details: { id: 1, type: "dhcp" },
            related_data: { id: s.id * 100 + 99, type: "dhcp", meta: { pxe_mac: s.pxeMac } },
          },
        ]
      : []),
  ];

  // GET /api/networkDevices/{id}/extendedDetails (docs: Network devices): ports[]{id, name,
  // assignments[{type: "server", relId, connectionId}]} and extendedDetails.ports[].
  const networkDevice = (id: number) => {
    const declared = world.networkDevices.find((d) => d.id === id);
    const fromServers = world.servers.flatMap((s) =>
      s.connections.filter((c) => c.type === "snmp_switch" && c.switchId === id).map((c) => ({ port: { id: c.portId, name: c.portName }, server: s, conn: c })),
    );
    if (!declared && fromServers.length === 0) return undefined;
    const ports = new Map<number, { id: number; name: string }>();
    for (const p of declared?.ports ?? []) ports.set(p.id, p);
    for (const f of fromServers) if (!ports.has(f.port.id)) ports.set(f.port.id, f.port);
    const list = [...ports.values()].sort((a, b) => a.id - b.id);
    return {
      id,
      name: declared?.name ?? `switch-${id}`,
      managementVendor: "juniper",
      enableAdvancedManagement: 1,
      extendedDetailsAvailable: true,
      ports: list.map((p) => ({
        id: p.id,
        name: p.name,
        assignments: fromServers.filter((f) => f.port.id === p.id).map((f) => ({ type: "server", relId: f.server.id, connectionId: f.conn.id })),
      })),
      extendedDetails: { ports: list.map((p) => ({ name: p.name, portOperStatus: "up", alias: "", linkSpeed: 10000, ifType: "ethernetCsmacd", id: p.id })) },
    };
  };

  const server = http.createServer((req, res) => {
    state.requests++;
    if (failures > 0) {
      failures--;
      return send(res, 502, { message: "Bad Gateway" });
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { message: "Unauthenticated." });
    const p = new URL(req.url ?? "/", "http://lab").pathname
      .replace(/^\/api\//, "")
      .split("/")
      .map(decodeURIComponent);
    const byId = (id: string) => world.servers.find((s) => s.id === Number(id));
    if (failingPaths.has(p.join("/"))) return send(res, 500, { message: "Server Error" });
    if (p[0] === "servers" && p[1] === "getByIp" && p[2]) {
      // IPv4 only, per the docs; the answer to an IPv6 address is a guess (a validation error).
      if (!isIpv4(p[2])) return send(res, 422, { message: "The ip must be a valid IPv4 address." });
      const s = world.servers.find((x) => x.ips.some((i) => i.ip === p[2]));
      return s ? ok(res, serverObject(s)) : send(res, 404, { message: "No server found" });
    }
    if (p[0] === "servers" && p.length === 1) return ok(res, world.servers.map(serverObject));
    if (p[0] === "servers" && p[1]) {
      const s = byId(p[1]);
      if (!s) return send(res, 404, { message: "Server not found" });
      if (p.length === 2) return ok(res, serverObject(s));
      if (p[2] === "ipassignments")
        return ok(
          res,
          s.ips.map((i, n) => assignment(s, i, n)),
        );
      if (p[2] === "connections") return ok(res, connections(s));
      if (p[2] === "stats" && p[3] === "network" && p[4] === "graph" && req.method === "POST") {
        let raw = "";
        req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
        req.on("end", () => {
          let body: Record<string, unknown>;
          try {
            body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
          } catch {
            return send(res, 400, { message: "The request body is not JSON." });
          }
          const answer = () => {
            const graph = networkGraph(s, body);
            // Laravel answers a failed validation with 422 and the message (a guess at the wording).
            if ("error" in graph) return send(res, 422, { message: graph.error });
            ok(res, graph.ports);
          };
          if (isHoldingGraphs) held.push(answer);
          else answer();
        });
        return;
      }
    }
    if (p[0] === "subnets" && p.length === 1) return ok(res, world.subnets.map(subnetObject));
    if (p[0] === "subnets" && p[2] === "withDetails") {
      const sn = world.subnets.find((x) => x.id === Number(p[1]));
      if (!sn) return send(res, 404, { message: "Subnet not found" });
      const ips = world.servers.flatMap((s) =>
        s.ips.filter((i) => i.subnetId === sn.id).map((i) => ({ ip: i.ip, servers_id: s.id, servername: s.servername })),
      );
      return ok(res, { ...subnetObject(sn), ips, childSubnets: [], usageStatistics: { used: ips.length } });
    }
    if (p[0] === "networkDevices" && p[2] === "extendedDetails") {
      const d = networkDevice(Number(p[1]));
      return d ? ok(res, d) : send(res, 404, { message: "Device not found" });
    }
    send(res, 404, { message: "Route not found" });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    world,
    failNext: (n) => {
      failures = n;
    },
    failingPaths,
    holdGraphs: () => {
      isHoldingGraphs = true;
    },
    releaseGraphs: () => {
      isHoldingGraphs = false;
      const waiting = held;
      held = [];
      // A request whose client is gone (a killed worker) is answered into a closed socket: harmless.
      for (const answer of waiting) answer();
    },
    get heldGraphs() {
      return held.length;
    },
    get requests() {
      return state.requests;
    },
    close: () => closeServer(server),
  };
}

/** The lab's standard dedicated server (id 7, PXE MAC, primary 10.0.48.5, on ge-0/0/12 of device 3); tests vary it. */
export function labDedicatedServer(overrides: Partial<LabTenantosServer> = {}): LabTenantosServer {
  return {
    id: 7,
    servername: "dedi-7",
    hostname: "dedi-7.hosting.test",
    pxeMac: "aa:bb:cc:00:00:07",
    ips: [
      { ip: "10.0.48.5", subnetId: 48, isPrimary: true },
      { ip: "10.0.48.6", subnetId: 48, isPrimary: false },
    ],
    connections: [{ id: 1, type: "snmp_switch", switchId: 3, portId: 12, portName: "ge-0/0/12", switchAutomation: true }],
    ...overrides,
  };
}
