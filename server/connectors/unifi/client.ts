import { z } from "zod";
import { parseAnswer } from "../answer";
import { connectionRequestOptions, requestJson, type HttpConnectionConfig, type HttpJsonOptions, type HttpJsonResult } from "../http-json";
import type { EdgeClient, EdgeNetwork, EdgePortForward, EdgeSwitch, EdgeSwitchPort } from "@/lib/edge/data";

// UniFi Network on a UDM Pro. Shapes: /work/shared/reference/edge-apis.md, "UniFi Network (UDM Pro)".
// The official Integration API (paged, API key) lacks port names, LLDP, client ports and port
// forwards, so the controller API (`/proxy/network/api/s/{site}/…`) is read for those.

export type UnifiErrorKind = "auth" | "rate-limited" | "unreachable" | "timeout" | "tls" | "http" | "too-large" | "shape";

export class UnifiError extends Error {
  constructor(
    readonly kind: UnifiErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "UnifiError";
  }
}

export interface UnifiConfig extends HttpConnectionConfig {
  baseUrl: string;
  /** The site's internal reference ("default"). */
  site?: string;
  /** Preferred: an Integration API key (no login, no login limit). */
  apiKey?: string;
  /** Else a local account, logged in once and the session reused. */
  username?: string;
  password?: string;
  /**
   * The saved connection's version (bumped by every save): a kept session made for another version
   * is dropped before the next call, in whichever process holds it.
   */
  credentialVersion?: number;
  /** "Test connection": log in with these values now; never use or keep a shared session. */
  isFreshLogin?: boolean;
  /** The clock a session's age is judged by; tests move it. */
  now?: () => Date;
}

// The connector hands out the shapes the edge collectors store (lib/edge/data.ts): one definition.
export type UnifiPort = EdgeSwitchPort;
export type UnifiDevice = EdgeSwitch;
export type UnifiClientRow = EdgeClient;
export type UnifiNetwork = EdgeNetwork;
export type UnifiPortForward = EdgePortForward;

export interface UnifiClient {
  listDevices(): Promise<UnifiDevice[]>;
  listClients(): Promise<UnifiClientRow[]>;
  listNetworks(): Promise<UnifiNetwork[]>;
  listPortForwards(): Promise<UnifiPortForward[]>;
}

const envelope = <T extends z.ZodType>(item: T) => z.object({ meta: z.object({ rc: z.string() }).loose(), data: z.array(item) });
const mac = z.string().transform((s) => s.toLowerCase());
// Older controllers send numbers as strings here and there (edge-apis.md: "vlan (number or string)").
const looseInt = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const portSchema = z
  .object({
    port_idx: z.number().int(),
    name: z.string().default(""),
    up: z.boolean().default(false),
    speed: z.number().default(0),
    is_uplink: z.boolean().default(false),
    op_mode: z.string().optional(),
    lag_idx: z.number().int().optional(),
    masked: z.boolean().default(false),
    aggregated_by: z.union([z.literal(false), z.number().int()]).default(false),
    lldp_table: z.array(z.object({ chassis_id: z.string(), port_id: z.string() }).loose()).default([]),
  })
  .loose();
const deviceSchema = z
  .object({
    mac,
    name: z.string().optional(),
    model: z.string().default(""),
    ip: z.string().optional(),
    port_table: z.array(portSchema).default([]),
    lldp_table: z.array(z.object({ chassis_id: z.string(), port_id: z.string(), local_port_idx: z.number().int() }).loose()).default([]),
  })
  .loose();
const staSchema = z
  .object({
    mac,
    ip: z.string().optional(),
    hostname: z.string().optional(),
    name: z.string().optional(),
    is_wired: z.boolean().default(false),
    sw_mac: mac.optional(),
    sw_port: z.number().int().optional(),
    vlan: looseInt.optional(),
  })
  .loose();
const networkSchema = z
  .object({
    _id: z.string(),
    name: z.string(),
    purpose: z.string().default(""),
    vlan_enabled: z.boolean().optional(),
    vlan: z.union([looseInt, z.literal("")]).optional(),
    ip_subnet: z.string().optional(),
    enabled: z.boolean().default(true),
  })
  .loose();
const portForwardSchema = z
  .object({
    _id: z.string(),
    name: z.string().default(""),
    // "enabled (may be absent)": absent means on, as the controller UI shows it (a guess).
    enabled: z.boolean().default(true),
    proto: z.enum(["tcp", "udp", "tcp_udp"]),
    dst_port: z.union([z.string(), z.number()]).transform(String),
    fwd: z.string(),
    fwd_port: z.union([z.string(), z.number()]).transform(String),
  })
  .loose();
const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ offset: z.number().int(), limit: z.number().int(), count: z.number().int(), totalCount: z.number().int(), data: z.array(item) });
const integrationDeviceSchema = z.object({ id: z.string(), macAddress: mac, state: z.string().optional() }).loose();
const siteSchema = z.object({ id: z.string(), internalReference: z.string() }).loose();

// The Integration API's largest page (edge-apis.md: "limit (default 25, max 200)"): fewer calls, and never the silent default of 25.
const PAGE_LIMIT = 200;

interface Session {
  cookie: string;
  csrf?: string;
  /** The connection version it was made with. */
  version: number | undefined;
  loggedInAt: Date;
}
/** A session older than this is made again with the stored password, so a rotated password shows as a failure within a day. */
export const MAX_SESSION_AGE_MS = 24 * 3600_000;
// One session per console and account, kept across collections: logging in on every poll runs into
// 429 AUTHENTICATION_FAILED_LIMIT_REACHED (edge-apis.md, home-assistant#122438).
const sessions = new Map<string, Session>();

export function createUnifiClient(cfg: UnifiConfig): UnifiClient {
  const base = cfg.baseUrl.replace(/\/$/, "");
  const site = cfg.site ?? "default";
  const sessionKey = `${base}|${cfg.username ?? ""}`;
  const now = cfg.now ?? (() => new Date());
  // A test's session is its own: it never answers from, nor leaves behind, a shared one.
  const store = cfg.isFreshLogin ? new Map<string, Session>() : sessions;
  if (!cfg.apiKey && !(cfg.username && cfg.password)) throw new UnifiError("auth", "UniFi: give an API key, or a local account's username and password");

  const send = async (path: string, opts: Partial<HttpJsonOptions>, headers: Record<string, string>): Promise<HttpJsonResult> => {
    try {
      return await requestJson(`${base}${path}`, { ...connectionRequestOptions(cfg, headers), ...opts });
    } catch (e) {
      const err = e as Error & { kind: UnifiErrorKind };
      throw new UnifiError(err.kind, `UniFi ${base}: ${err.message}`);
    }
  };

  const login = async (): Promise<Session> => {
    const res = await send("/api/auth/login", { method: "POST", body: { username: cfg.username, password: cfg.password, rememberMe: true } }, {});
    if (res.status === 429)
      throw new UnifiError("rate-limited", "UniFi refused the login: too many logins (AUTHENTICATION_FAILED_LIMIT_REACHED); the next collection tries again");
    if (res.status !== 200) throw new UnifiError("auth", `UniFi refused the login for ${cfg.username} (${res.status})`);
    const cookie = [res.headers["set-cookie"] ?? []]
      .flat()
      .map((c) => /^TOKEN=([^;]+)/.exec(c)?.[1])
      .find(Boolean);
    if (!cookie) throw new UnifiError("shape", "UniFi login: the answer set no TOKEN cookie");
    const csrf = res.headers["x-csrf-token"];
    const session = { cookie, csrf: typeof csrf === "string" ? csrf : undefined, version: cfg.credentialVersion, loggedInAt: now() };
    store.set(sessionKey, session);
    return session;
  };

  const authHeaders = async (): Promise<Record<string, string>> => {
    if (cfg.apiKey) return { "x-api-key": cfg.apiKey };
    const kept = store.get(sessionKey);
    const isUsable = kept && kept.version === cfg.credentialVersion && now().getTime() - kept.loggedInAt.getTime() < MAX_SESSION_AGE_MS;
    if (kept && !isUsable) store.delete(sessionKey);
    const s = isUsable ? kept : await login();
    return { cookie: `TOKEN=${s.cookie}`, ...(s.csrf ? { "x-csrf-token": s.csrf } : {}) };
  };

  const getController = async <T extends z.ZodType>(tail: string, item: T): Promise<Array<z.output<T>>> => {
    const path = `/proxy/network/api/s/${encodeURIComponent(site)}/${tail}`;
    let res = await send(path, {}, await authHeaders());
    if (res.status === 401 && !cfg.apiKey) {
      // The session ran out: log in again, once.
      store.delete(sessionKey);
      res = await send(path, {}, await authHeaders());
    }
    if (res.status === 401 || res.status === 403)
      throw new UnifiError("auth", `UniFi refused ${cfg.apiKey ? "the API key" : `the session of ${cfg.username}`} for ${tail}`);
    if (res.status === 429) throw new UnifiError("rate-limited", `UniFi GET ${tail}: 429 too many requests`);
    if (res.status !== 200) throw new UnifiError("http", `UniFi GET ${tail}: ${res.status}`);
    try {
      return parseAnswer(envelope(item), res.json, `UniFi ${tail}`).data;
    } catch (e) {
      throw new UnifiError("shape", (e as Error).message);
    }
  };

  /** Every page of an Integration API list: until `offset >= totalCount` (NetAlertX#1524). */
  const getAllPages = async <T extends z.ZodType>(path: string, item: T): Promise<Array<z.output<T>>> => {
    const all: Array<z.output<T>> = [];
    for (let offset = 0; ;) {
      const res = await send(`/proxy/network/integration/v1${path}?offset=${offset}&limit=${PAGE_LIMIT}`, {}, await authHeaders());
      if (res.status === 401 || res.status === 403) throw new UnifiError("auth", `UniFi refused the API key for ${path}`);
      if (res.status !== 200)
        throw new UnifiError("http", `UniFi GET ${path}: ${res.status} ${(res.json as { message?: string } | null)?.message ?? ""}`.trim());
      let page;
      try {
        page = parseAnswer(pageSchema(item), res.json, `UniFi ${path}`);
      } catch (e) {
        throw new UnifiError("shape", (e as Error).message);
      }
      all.push(...page.data);
      offset += page.data.length;
      if (offset >= page.totalCount || page.data.length === 0) return all;
    }
  };

  const listStates = async (): Promise<Map<string, string>> => {
    if (!cfg.apiKey) return new Map();
    const sites = await getAllPages("/sites", siteSchema);
    const s = sites.find((x) => x.internalReference === site);
    if (!s) throw new UnifiError("http", `UniFi has no site "${site}" (sites: ${sites.map((x) => x.internalReference).join(", ") || "none"})`);
    const devices = await getAllPages(`/sites/${encodeURIComponent(s.id)}/devices`, integrationDeviceSchema);
    return new Map(devices.map((d) => [d.macAddress, d.state ?? "UNKNOWN"]));
  };

  return {
    listDevices: async () => {
      const [devices, states] = await Promise.all([getController("stat/device", deviceSchema), listStates()]);
      return devices.map((d) => ({
        mac: d.mac,
        name: d.name ?? d.mac,
        model: d.model,
        ip: d.ip ?? null,
        state: states.get(d.mac) ?? null,
        ports: d.port_table.map((p) => ({
          idx: p.port_idx,
          name: p.name || `Port ${p.port_idx}`,
          isUp: p.up,
          speedMbps: p.speed,
          isUplink: p.is_uplink,
          lagIdx: p.op_mode === "aggregate" ? (p.lag_idx ?? p.port_idx) : null,
          aggregatedBy: p.aggregated_by === false ? null : p.aggregated_by,
          // The per-port table, else the device-level one keyed by local_port_idx (versions differ in which they fill).
          lldp: (p.lldp_table.length > 0 ? p.lldp_table : d.lldp_table.filter((l) => l.local_port_idx === p.port_idx)).map((l) => ({
            chassisId: l.chassis_id.toLowerCase(),
            portId: l.port_id,
          })),
        })),
      }));
    },
    listClients: async () =>
      (await getController("stat/sta", staSchema)).map((c) => ({
        mac: c.mac,
        ip: c.ip ?? null,
        hostname: c.hostname ?? c.name ?? null,
        isWired: c.is_wired,
        switchMac: c.sw_mac ?? null,
        switchPort: c.sw_port ?? null,
        vlan: c.vlan ?? null,
      })),
    listNetworks: async () =>
      (await getController("rest/networkconf", networkSchema)).map((n) => ({
        id: n._id,
        name: n.name,
        purpose: n.purpose,
        vlanId: n.vlan_enabled === false || n.vlan === undefined || n.vlan === "" ? null : n.vlan,
        subnet: n.ip_subnet ?? null,
        isEnabled: n.enabled,
      })),
    listPortForwards: async () =>
      (await getController("rest/portforward", portForwardSchema)).map((f) => ({
        id: f._id,
        name: f.name,
        isEnabled: f.enabled,
        proto: f.proto,
        externalPort: f.dst_port,
        forwardIp: f.fwd,
        forwardPort: f.fwd_port,
      })),
  };
}

/** Forgets the kept sessions (tests: a saved change to the connection drops them by its version). */
export function forgetUnifiSessions(): void {
  sessions.clear();
}
