import { randomBytes } from "node:crypto";
import https from "node:https";
import type http from "node:http";
import { LAB_HOST, listenOnLoopback, closeServer } from "./loopback";
import { createLabCertificate, type LabCertificate } from "./tls";

// The lab's UniFi Network console (a UDM Pro) over real HTTPS on loopback with a self-signed
// certificate. Every shape below is from /work/shared/reference/edge-apis.md, "UniFi Network (UDM Pro)":
// the official Integration API (paged, X-API-KEY) and the undocumented controller API
// (`/proxy/network/api/s/{site}/…`, `{meta: {rc, msg}, data: []}`, no paging) that every tool reads.
// The LLDP and LAG fields of `stat/device` follow unpoller/unifi's models as well: the device-level
// `lldp_table[]{chassis_id, is_wired, local_port_idx, local_port_name, port_id}` (no system name) and
// `port_table[]{port_idx, op_mode "aggregate", lag_idx, masked, aggregated_by}`; `stat/sta` clients
// carry `sw_mac`/`sw_port` of the port the switch learnt them on (a LAG's traffic on its primary).

export interface LabUnifiPort {
  idx: number;
  name: string;
  isUp: boolean;
  /** Mbit/s as `port_table[].speed` reports it; 0 when down. */
  speed: number;
  maxSpeedMbps?: number;
  isUplink?: boolean;
  /** A LAG's primary port: `op_mode: "aggregate"` with its `lag_idx` (edge-apis.md, LACP). */
  lagIdx?: number;
  /** A LAG member: `masked: true`, `aggregated_by: <primary port_idx>`. */
  aggregatedBy?: number;
  /** The LLDP neighbour this port hears: its chassis id (a MAC) and port id (an interface name). */
  lldp?: { chassisId: string; portId: string };
}

export interface LabUnifiDevice {
  id: string;
  mac: string;
  name: string;
  model: string;
  ip: string;
  state?: "ONLINE" | "OFFLINE";
  ports: LabUnifiPort[];
}

export interface LabUnifiClient {
  mac: string;
  ip: string;
  hostname?: string;
  isWired: boolean;
  swMac?: string;
  swPort?: number;
  vlan?: number;
  network?: string;
}

export interface LabUnifiNetwork {
  id: string;
  name: string;
  purpose: "corporate" | "wan" | "vlan-only";
  vlan?: number;
  /** Gateway address + prefix, e.g. "192.168.11.1/24" (edge-apis.md, rest/networkconf). */
  subnet?: string;
  isEnabled?: boolean;
}

export interface LabUnifiPortForward {
  id: string;
  name: string;
  /** Absent on some versions (edge-apis.md: "enabled (may be absent)"). */
  isEnabled?: boolean;
  proto: "tcp" | "udp" | "tcp_udp";
  dstPort: string;
  fwd: string;
  fwdPort: string;
}

export interface LabUnifiWorld {
  siteId: string;
  /** The site's `internalReference`, the `{site}` of the controller API's paths. */
  siteName: string;
  devices: LabUnifiDevice[];
  clients: LabUnifiClient[];
  networks: LabUnifiNetwork[];
  portForwards: LabUnifiPortForward[];
}

export interface LabUnifi {
  url: string;
  apiKey: string;
  username: string;
  password: string;
  fingerprint256: string;
  world: LabUnifiWorld;
  /** How many `POST /api/auth/login` calls it has answered (sessions should be reused). */
  loginCount(): number;
  /** Every session cookie stops working, as after the console's session lifetime ran out. */
  expireSessions(): void;
  /** Simulated outage: every request answers 503 until cleared. */
  setDown(isDown: boolean): void;
  close(): Promise<void>;
}

export interface LabUnifiOptions {
  port?: number;
  world: LabUnifiWorld;
  apiKey?: string;
  username?: string;
  password?: string;
  certificate?: LabCertificate;
  /**
   * Logins answered before the console refuses with 429 AUTHENTICATION_FAILED_LIMIT_REACHED
   * (home-assistant#122438, cited in edge-apis.md). The real limit and its window are not
   * documented; the count here is a guess.
   */
  maxLogins?: number;
}

const INTEGRATION_PREFIX = "/proxy/network/integration/v1";
const CONTROLLER_PREFIX = "/proxy/network/api/s/";
// edge-apis.md, Integration API: "limit (default 25, max 200)".
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 200;

export async function startLabUnifi(opts: LabUnifiOptions): Promise<LabUnifi> {
  const world = opts.world;
  const apiKey = opts.apiKey ?? "lab-unifi-key-0000000000000001";
  const username = opts.username ?? "sankofa-ro";
  const password = opts.password ?? "lab-unifi-password";
  const certificate = opts.certificate ?? createLabCertificate();
  const maxLogins = opts.maxLogins ?? 20;
  const sessions = new Map<string, string>(); // TOKEN cookie → csrf token
  let logins = 0;
  let isDown = false;

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(body));
  };
  // Integration API errors: `{statusCode, statusName, code, message, timestamp, requestPath, requestId}`.
  const integrationError = (res: http.ServerResponse, status: number, statusName: string, message: string, requestPath: string) =>
    send(res, status, {
      statusCode: status,
      statusName,
      code: `api.${statusName.toLowerCase()}`,
      message,
      timestamp: new Date().toISOString(),
      requestPath,
      requestId: randomBytes(8).toString("hex"),
    });
  // Controller API envelope; "api.err.LoginRequired" is what the tools in edge-apis.md match on a lost session (a guess at the exact text).
  const controllerError = (res: http.ServerResponse, status: number, msg: string) => send(res, status, { meta: { rc: "error", msg }, data: [] });
  const ok = (res: http.ServerResponse, data: unknown[]) => send(res, 200, { meta: { rc: "ok" }, data });

  const cookieToken = (req: http.IncomingMessage) => /(?:^|;\s*)TOKEN=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
  const hasKey = (req: http.IncomingMessage) => req.headers["x-api-key"] === apiKey;

  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });

  const portTable = (d: LabUnifiDevice) =>
    d.ports.map((p) => ({
      port_idx: p.idx,
      name: p.name,
      enable: true,
      up: p.isUp,
      speed: p.isUp ? p.speed : 0,
      full_duplex: p.isUp,
      media: "GE",
      is_uplink: Boolean(p.isUplink),
      op_mode: p.lagIdx !== undefined ? "aggregate" : "switch",
      ...(p.lagIdx !== undefined ? { lag_idx: p.lagIdx } : {}),
      portconf_id: "lab-portconf-all",
      masked: p.aggregatedBy !== undefined,
      aggregated_by: p.aggregatedBy ?? false,
      // Masked members misreport their state (edge-apis.md); the lab makes that visible.
      ...(p.aggregatedBy !== undefined ? { up: false, speed: 0 } : {}),
      lldp_table: p.lldp ? [{ chassis_id: p.lldp.chassisId, port_id: p.lldp.portId }] : [],
    }));

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isDown) return send(res, 503, { message: "service unavailable" });
    const url = new URL(req.url ?? "/", "https://lab");
    const path = url.pathname;

    if (req.method === "POST" && path === "/api/auth/login") {
      const body = JSON.parse((await readBody(req)) || "{}") as { username?: string; password?: string };
      logins += 1;
      if (logins > maxLogins) return send(res, 429, { code: "AUTHENTICATION_FAILED_LIMIT_REACHED", message: "Too many login attempts" });
      if (body.username !== username || body.password !== password)
        return send(res, 401, { code: "AUTHENTICATION_FAILED_INVALID_CREDENTIALS", message: "Invalid username or password" });
      const token = randomBytes(24).toString("hex");
      const csrf = randomBytes(16).toString("hex");
      sessions.set(token, csrf);
      return send(
        res,
        200,
        { username, isOwner: false },
        { "set-cookie": [`TOKEN=${token}; path=/; secure; httponly; samesite=strict`], "x-csrf-token": csrf },
      );
    }

    if (path.startsWith(INTEGRATION_PREFIX)) {
      // The Integration API takes only an API key (edge-apis.md).
      if (!hasKey(req)) return integrationError(res, 401, "UNAUTHORIZED", "Missing or invalid API key", path);
      const rest = path.slice(INTEGRATION_PREFIX.length).split("/").filter(Boolean);
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? DEFAULT_LIMIT);
      if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        return integrationError(res, 400, "BAD_REQUEST", `limit must be 1..${MAX_LIMIT} and offset >= 0`, path);
      const page = (all: unknown[]) =>
        send(res, 200, {
          offset,
          limit,
          count: Math.min(limit, Math.max(0, all.length - offset)),
          totalCount: all.length,
          data: all.slice(offset, offset + limit),
        });
      if (rest.length === 1 && rest[0] === "sites") return page([{ id: world.siteId, internalReference: world.siteName, name: "Default" }]);
      if (rest[0] === "sites" && rest[1] !== world.siteId) return integrationError(res, 404, "NOT_FOUND", `site ${rest[1]} not found`, path);
      if (rest.length === 3 && rest[2] === "devices")
        return page(
          world.devices.map((d) => ({
            id: d.id,
            name: d.name,
            model: d.model,
            macAddress: d.mac,
            ipAddress: d.ip,
            state: d.state ?? "ONLINE",
            firmwareVersion: "7.1.68",
            features: ["switching"],
            interfaces: {
              ports: d.ports.map((p) => ({
                idx: p.idx,
                state: p.isUp ? "UP" : "DOWN",
                connector: "RJ45",
                maxSpeedMbps: p.maxSpeedMbps ?? 1000,
                ...(p.isUp ? { speedMbps: p.speed } : {}),
              })),
            },
          })),
        );
      if (rest.length === 3 && rest[2] === "clients")
        return page(
          world.clients.map((c) => ({
            type: c.isWired ? "WIRED" : "WIRELESS",
            id: `client-${c.mac}`,
            name: c.hostname ?? c.mac,
            connectedAt: "2026-11-01T00:00:00Z",
            ipAddress: c.ip,
            macAddress: c.mac,
            uplinkDeviceId: world.devices.find((d) => d.mac === c.swMac)?.id,
          })),
        );
      return integrationError(res, 404, "NOT_FOUND", `no route ${path}`, path);
    }

    if (path.startsWith(CONTROLLER_PREFIX)) {
      // "Some versions accept X-API-Key here too" (edge-apis.md): this lab's version does.
      const token = cookieToken(req);
      if (!hasKey(req) && !(token && sessions.has(token))) return controllerError(res, 401, "api.err.LoginRequired");
      const [site, ...rest] = path.slice(CONTROLLER_PREFIX.length).split("/");
      if (site !== world.siteName) return controllerError(res, 400, "api.err.NoSiteContext");
      const tail = rest.join("/");
      if (tail === "stat/device")
        return ok(
          res,
          world.devices.map((d) => ({
            _id: d.id,
            mac: d.mac,
            name: d.name,
            model: d.model,
            ip: d.ip,
            type: "usw",
            state: (d.state ?? "ONLINE") === "ONLINE" ? 1 : 0,
            port_table: portTable(d),
            lldp_table: d.ports
              .filter((p) => p.lldp)
              .map((p) => ({ chassis_id: p.lldp!.chassisId, port_id: p.lldp!.portId, local_port_idx: p.idx, local_port_name: p.name, is_wired: true })),
            port_overrides: d.ports.map((p) => ({ port_idx: p.idx, name: p.name, op_mode: p.lagIdx !== undefined ? "aggregate" : "switch", forward: "all" })),
          })),
        );
      if (tail === "stat/sta")
        return ok(
          res,
          world.clients.map((c) => ({
            mac: c.mac,
            ip: c.ip,
            hostname: c.hostname,
            is_wired: c.isWired,
            ...(c.isWired ? { sw_mac: c.swMac, sw_port: c.swPort } : {}),
            network: c.network ?? "LAN",
            vlan: c.vlan,
            use_fixedip: false,
            last_seen: 1_764_460_800,
          })),
        );
      if (tail === "rest/networkconf")
        return ok(
          res,
          world.networks.map((n) => ({
            _id: n.id,
            name: n.name,
            purpose: n.purpose,
            vlan_enabled: n.vlan !== undefined,
            // edge-apis.md: "vlan (number or string)": the lab sends a string, as older versions do.
            ...(n.vlan !== undefined ? { vlan: String(n.vlan) } : {}),
            ...(n.subnet ? { ip_subnet: n.subnet } : {}),
            enabled: n.isEnabled ?? true,
            dhcpd_enabled: true,
          })),
        );
      if (tail === "rest/portforward")
        return ok(
          res,
          world.portForwards.map((f) => ({
            _id: f.id,
            name: f.name,
            ...(f.isEnabled !== undefined ? { enabled: f.isEnabled } : {}),
            proto: f.proto,
            dst_port: f.dstPort,
            fwd: f.fwd,
            fwd_port: f.fwdPort,
            src: "any",
            pfwd_interface: "wan",
          })),
        );
      return controllerError(res, 404, "api.err.NotFound");
    }
    send(res, 404, { message: "not found" });
  };

  const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    handle(req, res).catch((e: Error) => send(res, 500, { message: e.message }));
  });
  const port = await listenOnLoopback(server, opts.port);
  return {
    url: `https://${LAB_HOST}:${port}`,
    apiKey,
    username,
    password,
    fingerprint256: certificate.fingerprint256,
    world,
    loginCount: () => logins,
    expireSessions: () => sessions.clear(),
    setDown: (v) => {
      isDown = v;
    },
    close: () => closeServer(server),
  };
}
