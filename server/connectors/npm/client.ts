import { z } from "zod";
import { parseAnswer } from "../answer";
import { connectionRequestOptions, requestJson, type HttpConnectionConfig, type HttpJsonOptions, type HttpJsonResult } from "../http-json";
import type { EdgeProxyHost, EdgeStream } from "@/lib/edge/data";

// Nginx Proxy Manager's API. Shapes: /work/shared/reference/edge-apis.md, "Nginx Proxy Manager (and NPMplus)".
// Both ways of holding the token: classic NPM answers a login `{token, expires}` and takes a bearer
// header; NPMplus (since 2026-01) answers `{expires}`, sets the token as the `__Host-Http-token`
// cookie and takes only that cookie back. Which one a console speaks is read from its login answer.

export type NpmErrorKind = "auth" | "unreachable" | "timeout" | "tls" | "http" | "too-large" | "shape";

export class NpmError extends Error {
  constructor(
    readonly kind: NpmErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "NpmError";
  }
}

export interface NpmConfig extends HttpConnectionConfig {
  baseUrl: string;
  /** The account's email. */
  identity: string;
  secret: string;
  /** The clock tokens' `expires` are compared with; tests move it. */
  now?: () => Date;
  /**
   * The saved connection's version (bumped by every save): a kept token made for another version is
   * dropped before the next call, in whichever process holds it.
   */
  credentialVersion?: number;
  /** "Test connection": log in with these values now; never use or keep a shared token. */
  isFreshLogin?: boolean;
}

// The connector hands out the shapes the edge collectors store (lib/edge/data.ts): one definition.
export type NpmProxyHost = EdgeProxyHost;
export type NpmStream = EdgeStream;

export interface NpmClient {
  listProxyHosts(): Promise<NpmProxyHost[]>;
  listStreams(): Promise<NpmStream[]>;
}

// Booleans are real booleans since v2.12.0; older versions send 0/1 (edge-apis.md): accept both.
const flag = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v) => v === true || v === 1);
// NPMplus sends stream ports as strings, possibly empty.
const port = z.union([z.number().int(), z.string()]).transform((v) => (v === "" ? null : Number(v)));
/** "YYYY-MM-DD HH:mm:ss" (UTC) or ISO; kept as ISO text so the snapshot stays JSON. */
const datetime = z
  .string()
  .transform((s) => (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? `${s.replace(" ", "T")}Z` : s))
  .refine((s) => !Number.isNaN(Date.parse(s)), "not a date")
  .transform((s) => new Date(s).toISOString());

const tokenSchema = z.object({ token: z.string().min(1), expires: datetime });
const cookieTokenSchema = z.object({ expires: datetime });
const NPMPLUS_COOKIE = "__Host-Http-token";
const certificateSchema = z.object({ id: z.number().int(), nice_name: z.string().default(""), expires_on: datetime.nullable().optional() }).loose();
const proxyHostSchema = z
  .object({
    id: z.number().int(),
    domain_names: z.array(z.string()),
    forward_scheme: z.string(),
    forward_host: z.string(),
    forward_port: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
    certificate_id: z.number().int().default(0),
    ssl_forced: flag.default(false),
    enabled: flag.default(true),
    locations: z
      .array(
        z
          .object({
            path: z.string(),
            forward_scheme: z.string(),
            forward_host: z.string(),
            forward_port: z.union([z.number().int(), z.string().transform(Number)]),
          })
          .loose(),
      )
      .nullable()
      .default([]),
    certificate: certificateSchema.nullable().optional(),
  })
  .loose();
const streamSchema = z
  .object({
    id: z.number().int(),
    incoming_port: port,
    // Very old versions: `forward_ip` (edge-apis.md).
    forwarding_host: z.string().optional(),
    forward_ip: z.string().optional(),
    forwarding_port: port,
    tcp_forwarding: flag.default(true),
    udp_forwarding: flag.default(false),
    enabled: flag.default(true),
  })
  .loose();

// Refresh a token this long before its `expires`, so a collection never starts with one about to lapse.
const REFRESH_BEFORE_MS = 3600_000;

interface Token {
  token: string;
  expires: Date;
  /** Sent back the way it came: a bearer header (NPM) or the cookie (NPMplus). */
  isCookie: boolean;
  /** The connection version its login used. */
  version: number | undefined;
  /** When the password was last checked: refreshes keep it, only a login moves it. */
  loggedInAt: Date;
}
/**
 * A token refreshed from itself never meets the password again; past this age since its login it is
 * replaced by a login with the stored password, so a rotated password fails within a day.
 */
export const MAX_LOGIN_AGE_MS = 24 * 3600_000;

/** The request header that carries a token. A server-side client sends no `Origin` (NPMplus refuses a foreign one). */
const authHeaders = (t: Token): Record<string, string> => (t.isCookie ? { cookie: `${NPMPLUS_COOKIE}=${t.token}` } : { authorization: `Bearer ${t.token}` });

/** NPMplus's token, from a login's or refresh's `set-cookie` header; undefined when it set none. */
function readTokenCookie(res: HttpJsonResult): string | undefined {
  const raw = res.headers["set-cookie"] ?? [];
  for (const c of Array.isArray(raw) ? raw : [raw]) {
    const [pair] = c.split(";");
    const eq = pair!.indexOf("=");
    if (pair!.slice(0, eq).trim() === NPMPLUS_COOKIE && eq > 0) return pair!.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
// Tokens kept across collections per console and account: a login per poll would spend the
// 5-failures-per-5-minutes budget quickly on a typo, and honours nothing of `expires`.
const tokens = new Map<string, Token>();

export function createNpmClient(cfg: NpmConfig): NpmClient {
  const base = cfg.baseUrl.replace(/\/$/, "");
  const now = cfg.now ?? (() => new Date());
  const key = `${base}|${cfg.identity}`;
  // A test's token is its own: it never answers from, nor leaves behind, a shared one.
  const store = cfg.isFreshLogin ? new Map<string, Token>() : tokens;

  const send = async (path: string, opts: Partial<HttpJsonOptions>, headers: Record<string, string>): Promise<HttpJsonResult> => {
    try {
      return await requestJson(`${base}${path}`, { ...connectionRequestOptions(cfg, headers), ...opts });
    } catch (e) {
      const err = e as Error & { kind: NpmErrorKind };
      throw new NpmError(err.kind, `NPM ${base}: ${err.message}`);
    }
  };
  const readToken = (res: HttpJsonResult, what: string, loggedInAt: Date): Token => {
    const version = cfg.credentialVersion;
    try {
      const cookie = readTokenCookie(res);
      if (cookie)
        return { token: cookie, expires: new Date(parseAnswer(cookieTokenSchema, res.json, `NPMplus ${what}`).expires), isCookie: true, version, loggedInAt };
      const t = parseAnswer(tokenSchema, res.json, `NPM ${what}`);
      return { token: t.token, expires: new Date(t.expires), isCookie: false, version, loggedInAt };
    } catch (e) {
      throw new NpmError("shape", (e as Error).message);
    }
  };

  const login = async (): Promise<Token> => {
    const res = await send("/api/tokens", { method: "POST", body: { identity: cfg.identity, secret: cfg.secret } }, {});
    if (res.status === 401 || res.status === 403) throw new NpmError("auth", `NPM refused the login for ${cfg.identity}`);
    if (res.status !== 200) throw new NpmError("http", `NPM login: ${res.status}`);
    if ((res.json as { requires_2fa?: boolean } | null)?.requires_2fa)
      throw new NpmError("auth", `NPM: the account ${cfg.identity} has two-factor login; give a service account without it`);
    const t = readToken(res, "login", now());
    store.set(key, t);
    return t;
  };

  const currentToken = async (): Promise<Token> => {
    const t = store.get(key);
    if (!t || t.expires <= now() || t.version !== cfg.credentialVersion || now().getTime() - t.loggedInAt.getTime() >= MAX_LOGIN_AGE_MS) {
      store.delete(key);
      return login();
    }
    if (t.expires.getTime() - now().getTime() > REFRESH_BEFORE_MS) return t;
    // Close to `expires`: refresh with the token itself (`GET /api/tokens`), else log in again.
    const res = await send("/api/tokens", {}, authHeaders(t));
    if (res.status !== 200) return login();
    const fresh = readToken(res, "token refresh", t.loggedInAt);
    store.set(key, fresh);
    return fresh;
  };

  const get = async <T extends z.ZodType>(path: string, schema: T): Promise<z.output<T>> => {
    let res = await send(path, {}, authHeaders(await currentToken()));
    if (res.status === 401) {
      // Expired or revoked before its `expires` (a restart, a logout): log in again, once.
      store.delete(key);
      res = await send(path, {}, authHeaders(await login()));
    }
    if (res.status === 401 || res.status === 403) throw new NpmError("auth", `NPM refused the token of ${cfg.identity} for ${path}`);
    if (res.status !== 200) throw new NpmError("http", `NPM GET ${path}: ${res.status}`);
    try {
      return parseAnswer(schema, res.json, `NPM ${path.split("?")[0]}`);
    } catch (e) {
      throw new NpmError("shape", (e as Error).message);
    }
  };

  return {
    listProxyHosts: async () =>
      (await get("/api/nginx/proxy-hosts?expand=certificate", z.array(proxyHostSchema))).map((h) => ({
        id: h.id,
        domainNames: h.domain_names.map((d) => d.toLowerCase()),
        forwardScheme: h.forward_scheme,
        forwardHost: h.forward_host,
        forwardPort: h.forward_port,
        isEnabled: h.enabled,
        isSslForced: h.ssl_forced,
        locations: (h.locations ?? []).map((l) => ({
          path: l.path,
          forwardScheme: l.forward_scheme,
          forwardHost: l.forward_host,
          forwardPort: l.forward_port,
        })),
        certificate:
          h.certificate_id > 0 && h.certificate
            ? { id: h.certificate.id, niceName: h.certificate.nice_name, expiresOn: h.certificate.expires_on ?? null }
            : null,
      })),
    listStreams: async () =>
      (await get("/api/nginx/streams", z.array(streamSchema))).map((s) => ({
        id: s.id,
        incomingPort: s.incoming_port,
        forwardingHost: s.forwarding_host ?? s.forward_ip ?? "",
        forwardingPort: s.forwarding_port,
        isTcp: s.tcp_forwarding,
        isUdp: s.udp_forwarding,
        isEnabled: s.enabled,
      })),
  };
}

/** Forgets kept tokens (tests: a saved change to the connection drops them by its version). */
export function forgetNpmTokens(): void {
  tokens.clear();
}
