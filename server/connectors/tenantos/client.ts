import { z } from "zod";
import { connectionRequestOptions, requestJson, type HttpConnectionConfig } from "../http-json";

// Tenantos's API as its documentation describes it: api.tenantos.com/docs, documentation.tenantos.com
// (IP manager → Switch automation; Network devices) and the public OpenAPI copy
// (github shadmanZero/tenantos-api, gh-pages, openapi/index.html, examples dated 2025-08). Every
// answer is parsed with a schema: a missing or mistyped field is an error naming the field and
// the path it came from, never a NaN or an undefined that travels on.

export type TenantosErrorKind = "auth" | "not-found" | "unreachable" | "timeout" | "tls" | "http" | "too-large" | "shape";

export class TenantosError extends Error {
  constructor(
    readonly kind: TenantosErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "TenantosError";
  }
}

export interface TenantosConfig extends HttpConnectionConfig {
  /** The panel's base URL, e.g. https://panel.example; the API lives under /api. */
  baseUrl: string;
  apiKey: string;
  /** Extra tries after a 5xx or a timeout (with backoff); 4xx are never retried. */
  retries?: number;
}

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number);
const flag = z.union([z.boolean(), z.literal(0), z.literal(1), z.literal("0"), z.literal("1")]).transform((v) => v === true || v === 1 || v === "1");

// A figure Tenantos prints as a decimal string ("3.88" in the documented examples) or a number.
const decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

// GET /api/servers/{id}: the primary IP is `primaryip` (no underscore); the object has no MAC; its
// names are `servername` and `hostname` (OpenAPI copy's example: "server-001", "hostname.com"). It
// carries `trafficStatistics` {1d, 7d, 14d, 30d, 95th_in_30d, 95th_out_30d, 95th_total_30d}; the
// docs state no units. The documented examples ("30d": "422.04" with "95th_total_30d": "4.12";
// "1783.39" with "5.63") fit GB for the volumes and Mbit/s for the 95th figures (422 GB in 30 days
// is 1.3 Mbit/s on average): Mbit/s is our reading of them, a guess checked against our own samples.
const trafficStatisticsSchema = z.object({ "95th_in_30d": decimal, "95th_out_30d": decimal, "95th_total_30d": decimal });
const serverSchema = z.object({
  id,
  servername: z.string().nullish(),
  hostname: z.string().nullish(),
  primaryip: z.string().nullish(),
  trafficStatistics: z.unknown().optional(),
});

// GET /api/servers/{id}/ipassignments: `primary_ip` is a 0/1 flag; `subnetinformation` carries the
// subnet (cidr, subnet, rootSubnetId, …) but no subnet id in the documented example.
const assignmentSchema = z.object({
  ip: z.string(),
  primary_ip: flag,
  subnetinformation: z.object({ subnet: z.string(), cidr: id, rootSubnetId: id.nullish() }),
});

// GET /api/servers/{id}/connections: `related_data.type` is snmp_switch | ipmi | pxe | dhcp, with
// its `meta`: snmp_switch `{switchId, portId}` (switchAutomation per our seed, not in the REST
// spec), dhcp `{pxe_mac}`.
const connectionSchema = z.object({ id, related_data: z.object({ type: z.string(), meta: z.record(z.string(), z.unknown()).nullish() }) });
const switchMetaSchema = z.object({ switchId: id, portId: id, switchAutomation: flag.optional() });
const dhcpMetaSchema = z.object({ pxe_mac: z.string().min(1) });

// GET /api/subnets (and /{id}/withDetails): the VLAN sits in flat fields, there is no `vlan` object.
const subnetSchema = z.object({
  id,
  subnet: z.string(),
  cidr: id,
  enable_switch_automation: flag.nullish(),
  access_vlan_generation_mode: z.enum(["fixed", "range"]).nullish(),
  static_access_vlan_id: id.nullish(),
});

// GET /api/networkDevices/{id}/extendedDetails: `ports[]{id, name, assignments}`.
const networkDeviceSchema = z.object({ id, name: z.string().nullish(), ports: z.array(z.object({ id, name: z.string() })) });

export interface TenantosServer {
  id: number;
  name: string;
  hostname: string;
  primaryIp: string | null;
  /** Tenantos's own 95th percentile of the last 30 days (`trafficStatistics`, read as Mbit/s); null when absent or unreadable. */
  traffic95thMbps: { in: number; out: number; total: number } | null;
}

/** One 5-minute sample of one switch port's traffic, in bits per second (billing adds a server's ports per slot). */
export interface TenantosTrafficSample {
  at: Date;
  inBps: number;
  outBps: number;
}

export interface TenantosIpAssignment {
  ip: string;
  isPrimary: boolean;
  /** The subnet as `subnetinformation` gives it: network and prefix length, and its root subnet. */
  subnet: { network: string; cidr: number; rootSubnetId: number | null };
}

export interface TenantosSwitchPort {
  connectionId: number;
  /** The network device (switch) id in Tenantos. */
  switchId: number;
  portId: number;
  /** `related_data.meta.switchAutomation`; undefined when the meta does not carry it. */
  isSwitchAutomationOn: boolean | undefined;
}

export interface TenantosServerConnections {
  /** The `dhcp` connection's `related_data.meta.pxe_mac`, or null when there is none. */
  pxeMac: string | null;
  /** Every `snmp_switch` connection: a bonded server hangs on several ports. */
  switchPorts: TenantosSwitchPort[];
}

export interface TenantosSubnet {
  id: number;
  network: string;
  cidr: number;
  /** `enable_switch_automation`; undefined when the subnet does not carry it. */
  isSwitchAutomationOn: boolean | undefined;
  vlanGenerationMode: "fixed" | "range" | null;
  staticAccessVlanId: number | null;
}

export interface TenantosClient {
  /** An authenticated look-up of a documentation address (TEST-NET-1): proves URL and key, finds nothing. */
  ping(): Promise<void>;
  /** Every server in the panel (one call; Tenantos answers the whole list). */
  listServers(): Promise<TenantosServer[]>;
  getServer(id: number): Promise<TenantosServer>;
  /** IPv4 only (Tenantos's getByIp is documented for IPv4); IPv6 answers null without asking. */
  getServerByIp(ip: string): Promise<TenantosServer | null>;
  getIpAssignments(serverId: number): Promise<TenantosIpAssignment[]>;
  getServerConnections(serverId: number): Promise<TenantosServerConnections>;
  listSubnets(): Promise<TenantosSubnet[]>;
  /** A network device's ports by id → name (`portName` is not in the connection's meta). */
  getNetworkDevicePorts(deviceId: number): Promise<Map<number, string>>;
  /**
   * A server's 5-minute traffic samples from `from` to `to` (`POST /servers/{id}/stats/network/graph`),
   * one list per port: a bonded server has several. See `trafficSampleSchema` for what is a guess.
   */
  getNetworkGraph(serverId: number, from: Date, to: Date): Promise<TenantosTrafficSample[][]>;
}

/** Parses one answer; a failure names the field and where it came from. */
function parseAnswer<T>(schema: z.ZodType<T>, value: unknown, path: string, at = "result"): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : `${acc}.${String(k)}`), at);
  const got = issue.path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), value);
  const what = got === undefined ? "is missing" : `is not what Tenantos documents (got ${JSON.stringify(got)?.slice(0, 40)})`;
  throw new TenantosError("shape", `Tenantos ${path}: ${field} ${what}`);
}

// POST /api/servers/{id}/stats/network/{graph|text} (OpenAPI copy, "Server Statistics"): the body
// takes `from`/`to` ("Must be a valid date", example "2025-08-25T15:29:15", no zone), `predefined`,
// `groupBy` and `summary`. "graph" returns "values for a graph (5 minute interval)"; `groupBy` "does
// add a `summarized` array to each port with a summary of the `stats` array", so the answer holds
// ports, each with a `stats` array. The docs leave open whether `result` lists the ports or keys
// them by id (both are read), and they give no sample fields at all. GUESS, to be confirmed against
// a real panel: a sample is {time, in, out}: `time` in Unix seconds (or a date string, UTC when it
// has no zone) and `in`/`out` in bits per second. A panel that answers otherwise fails the day with
// the keys it did send (never a zero), and Tenantos's own 95th figures check the unit every night.
const trafficSampleSchema = z.object({
  time: z.union([z.number().int().nonnegative(), z.string().min(1)]),
  in: z.number().nonnegative(),
  out: z.number().nonnegative(),
});
const trafficPortSchema = z.object({ stats: z.array(z.unknown()) });
const trafficAnswerSchema = z.union([z.array(trafficPortSchema), z.record(z.string(), trafficPortSchema)]);

/** Tenantos's date string for a request body: UTC, seconds, no zone (the documented example's form). */
const formatTenantosDate = (d: Date) => d.toISOString().slice(0, 19);

function readSampleTime(time: number | string): Date | null {
  if (typeof time === "number") return new Date(time * 1000);
  const iso = time.includes("T") ? time : time.replace(" ", "T");
  const at = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

function readTrafficStatistics(value: unknown): TenantosServer["traffic95thMbps"] {
  const r = trafficStatisticsSchema.safeParse(value);
  return r.success ? { in: r.data["95th_in_30d"], out: r.data["95th_out_30d"], total: r.data["95th_total_30d"] } : null;
}

const toServer = (r: z.infer<typeof serverSchema>): TenantosServer => ({
  id: r.id,
  name: r.servername ?? r.hostname ?? String(r.id),
  hostname: r.hostname ?? "",
  primaryIp: r.primaryip ?? null,
  traffic95thMbps: readTrafficStatistics(r.trafficStatistics),
});

/** Tenantos answers `{"result": …, "message": …}`; field names are mapped here and only here. */
export function createTenantosClient(cfg: TenantosConfig): TenantosClient {
  const base = `${cfg.baseUrl.replace(/\/$/, "")}/api`;
  const retries = cfg.retries ?? 2;

  /** A GET, or a POST of `body` (the statistics routes take their range in a JSON body). */
  async function get(path: string, opts: { isMissingOk?: boolean; body?: unknown } = {}): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        const request = connectionRequestOptions(cfg, { authorization: `Bearer ${cfg.apiKey}` });
        res = await requestJson(`${base}${path}`, opts.body === undefined ? request : { ...request, method: "POST", body: opts.body });
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
      const body = res.json as { result?: unknown } | null;
      if (!body || !("result" in body)) throw new TenantosError("shape", `Tenantos ${path}: the answer has no "result"`);
      return body.result;
    }
  }

  const read = async <T>(path: string, schema: z.ZodType<T>) => parseAnswer(schema, await get(path), path);

  return {
    ping: async () => {
      await get("/servers/getByIp/192.0.2.1", { isMissingOk: true });
    },
    listServers: async () => (await read("/servers", z.array(serverSchema))).map(toServer),
    getServer: async (serverId) => toServer(await read(`/servers/${Number(serverId)}`, serverSchema)),
    getServerByIp: async (ip) => {
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return null;
      const path = `/servers/getByIp/${encodeURIComponent(ip)}`;
      const r = await get(path, { isMissingOk: true });
      return r ? toServer(parseAnswer(serverSchema, r, path)) : null;
    },
    getIpAssignments: async (serverId) =>
      (await read(`/servers/${Number(serverId)}/ipassignments`, z.array(assignmentSchema))).map((a) => ({
        ip: a.ip,
        isPrimary: a.primary_ip,
        subnet: { network: a.subnetinformation.subnet, cidr: a.subnetinformation.cidr, rootSubnetId: a.subnetinformation.rootSubnetId ?? null },
      })),
    getServerConnections: async (serverId) => {
      const path = `/servers/${Number(serverId)}/connections`;
      const list = await read(path, z.array(connectionSchema));
      let pxeMac: string | null = null;
      const switchPorts: TenantosSwitchPort[] = [];
      for (const [i, c] of list.entries()) {
        const meta = c.related_data.meta ?? {};
        if (c.related_data.type === "dhcp") pxeMac ??= parseAnswer(dhcpMetaSchema, meta, path, `result[${i}].related_data.meta`).pxe_mac;
        if (c.related_data.type === "snmp_switch") {
          const m = parseAnswer(switchMetaSchema, meta, path, `result[${i}].related_data.meta`);
          switchPorts.push({ connectionId: c.id, switchId: m.switchId, portId: m.portId, isSwitchAutomationOn: m.switchAutomation });
        }
      }
      return { pxeMac, switchPorts };
    },
    listSubnets: async () =>
      (await read("/subnets", z.array(subnetSchema))).map((s) => ({
        id: s.id,
        network: s.subnet,
        cidr: s.cidr,
        isSwitchAutomationOn: s.enable_switch_automation ?? undefined,
        vlanGenerationMode: s.access_vlan_generation_mode ?? null,
        staticAccessVlanId: s.static_access_vlan_id ?? null,
      })),
    getNetworkDevicePorts: async (deviceId) =>
      new Map((await read(`/networkDevices/${Number(deviceId)}/extendedDetails`, networkDeviceSchema)).ports.map((p) => [p.id, p.name])),
    getNetworkGraph: async (serverId, from, to) => {
      const path = `/servers/${Number(serverId)}/stats/network/graph`;
      const answer = parseAnswer(trafficAnswerSchema, await get(path, { body: { from: formatTenantosDate(from), to: formatTenantosDate(to) } }), path);
      const ports = Array.isArray(answer) ? answer.map((p, i) => [String(i), p] as const) : Object.entries(answer);
      return ports.map(([key, port]) =>
        port.stats.map((raw, i) => {
          const at = `result${Array.isArray(answer) ? `[${key}]` : `.${key}`}.stats[${i}]`;
          const r = trafficSampleSchema.safeParse(raw);
          if (!r.success) {
            const keys = raw && typeof raw === "object" ? Object.keys(raw).join(", ") || "none" : JSON.stringify(raw)?.slice(0, 40);
            throw new TenantosError(
              "shape",
              `Tenantos ${path}: ${at} is not the sample we read ({time, in, out}, a guess: the docs give no fields); it has ${keys}`,
            );
          }
          const time = readSampleTime(r.data.time);
          if (!time) throw new TenantosError("shape", `Tenantos ${path}: ${at}.time is not a date (got ${JSON.stringify(r.data.time).slice(0, 40)})`);
          return { at: time, inBps: r.data.in, outBps: r.data.out };
        }),
      );
    },
  };
}
